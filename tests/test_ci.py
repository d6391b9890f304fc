"""check as a CI gate: every report format (golden), JUnit against an XSD, annotations at
the right lines, folders of mixed plans, gate policy, step summary, lint, hook and action."""

from __future__ import annotations

import json
import os
import re
import subprocess
from typing import TYPE_CHECKING

import pytest
import xmlschema
import yaml

from cutover.render.summary import markdown_summary
from tests.conftest import GOLDEN, ROOT, check_golden

if TYPE_CHECKING:
    from pathlib import Path

    from tests.conftest import Cli

FOLDER = "tests/plans/ci"
AS_OF = "2025-06-19"
JUNIT_XSD = ROOT / "tests" / "schemas" / "junit.xsd"


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Paths in reports are relative to the working directory: pin it."""
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github", "markdown", "codequality"])
def test_every_format_golden(cli: Cli, update_goldens: bool, fmt: str) -> None:
    result = cli("check", FOLDER, "--as-of", AS_OF, "--skip-non-plans", "--format", fmt)
    assert result.exit_code == 2  # one plan is invalid: the worst status wins
    name = {
        "text": "check.txt",
        "json": "check.json",
        "junit": "check.xml",
        "github": "check.github.txt",
        "markdown": "check.md",
        "codequality": "check.codequality.json",
    }[fmt]
    check_golden(GOLDEN / "ci" / name, result.output, update=update_goldens)


def test_junit_is_valid_for_the_readers(cli: Cli, tmp_path: Path) -> None:
    report = tmp_path / "junit.xml"
    result = cli(
        "check", FOLDER, "--as-of", AS_OF, "--skip-non-plans", "-f", f"junit:{report}", "-f", "text"
    )
    assert result.exit_code == 2
    xmlschema.XMLSchema(str(JUNIT_XSD)).validate(str(report))
    text = report.read_text()
    # GitLab ignores the message attribute: the readable text is in the body too.
    assert ">tests/plans/ci/late.yaml:6:5: late: forecast to finish" in text
    assert 'name="plan is valid"' in text


def test_github_annotations_point_at_the_task_lines(cli: Cli) -> None:
    output = cli("check", FOLDER, "--as-of", AS_OF, "--skip-non-plans", "-f", "github").output
    lines = (ROOT / FOLDER / "late.yaml").read_text().splitlines()
    annotations = [
        line for line in output.splitlines() if line.startswith("::") and "file=" in line
    ]
    assert annotations
    for annotation in annotations:
        file = re.search(r"file=([^,]+)", annotation)[1]  # type: ignore[index]
        line = int(re.search(r"line=(\d+)", annotation)[1])  # type: ignore[index]
        assert not file.startswith("/"), "paths are relative to the working directory"
        if file.endswith("late.yaml"):
            task = re.search(r"title=[^:]+%3A ([\w.-]+)::", annotation)[1]  # type: ignore[index]
            assert lines[line - 1].strip() == f"- id: {task}"
    # worst first: invalid plan, then errors, then warnings
    levels = [a.split(" ", 1)[0] for a in annotations]
    assert levels == sorted(levels, key=lambda level: level != "::error")


def test_github_says_when_annotations_would_be_dropped(cli: Cli, tmp_path: Path) -> None:
    tasks = "\n".join(
        f"  - {{id: t{i}, duration: 1d, deadline: 2025-06-16T10:00}}" for i in range(12)
    )
    plan = tmp_path / "many.yaml"
    plan.write_text(f"plan: many\nstart: 2025-06-16\ntasks:\n{tasks}\n")
    output = cli("check", str(plan), "--as-of", "2025-06-16", "-f", "github").output
    assert output.count("::error ") == 12
    assert "::notice title=cutover::2 more errors than GitHub shows" in output


def test_several_formats_in_one_run_and_one_to_stdout(cli: Cli, tmp_path: Path) -> None:
    junit, summary = tmp_path / "j.xml", tmp_path / "s.md"
    result = cli(
        "check", f"{FOLDER}/late.yaml", "--as-of", AS_OF,
        "-f", "text", "-f", f"junit:{junit}", "-f", f"markdown:{summary}",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "FAIL: 2 errors, 3 warnings in 1 plan" in result.output
    assert junit.read_text().startswith("<?xml")
    assert summary.read_text().startswith("## ❌ cutover check: FAIL")
    twice = cli("check", f"{FOLDER}/late.yaml", "-f", "json", "-f", "text")
    assert twice.exit_code == 2
    assert "only one --format (besides github) can go to standard output" in twice.output
    assert cli("check", f"{FOLDER}/late.yaml", "-f", "text", "-f", "github").exit_code == 1
    unknown = cli("check", f"{FOLDER}/late.yaml", "-f", "sarif")
    assert unknown.exit_code == 2


def test_a_report_file_is_never_half_written(cli: Cli, tmp_path: Path) -> None:
    report = tmp_path / "missing-folder" / "j.xml"
    result = cli("check", f"{FOLDER}/late.yaml", "--as-of", AS_OF, "-f", f"junit:{report}")
    assert result.exit_code == 2
    assert "cannot write" in result.output
    assert not report.parent.exists()
    assert list(tmp_path.iterdir()) == []


def test_gate_policy(cli: Cli) -> None:
    on_time = f"{FOLDER}/on-time.yaml"
    late = f"{FOLDER}/late.yaml"
    assert cli("check", on_time, "--as-of", AS_OF).exit_code == 0
    assert cli("check", late, "--as-of", AS_OF).exit_code == 1
    assert cli("check", late, "--as-of", AS_OF, "--fail-on", "invalid").exit_code == 0
    assert (
        cli(
            "check",
            on_time,
            "--as-of",
            "2025-06-16",
            "--risk-threshold",
            "2w",
            "--fail-on",
            "warning",
        ).exit_code
        == 1
    )
    env = cli("check", late, "--as-of", AS_OF, env={"CUTOVER_FAIL_ON": "invalid"})
    assert env.exit_code == 0
    assert env.output.rstrip().endswith("OK: 2 errors, 3 warnings in 1 plan")


def test_folders_are_searched_and_non_plans_skipped_only_when_asked(cli: Cli) -> None:
    everything = json.loads(cli("check", FOLDER, "--as-of", AS_OF, "-f", "json").output)
    files = [plan["file"] for plan in everything["plans"]]
    assert files == [
        f"{FOLDER}/late.yaml",
        f"{FOLDER}/more/broken.yaml",
        f"{FOLDER}/more/settings.yml",
        f"{FOLDER}/on-time.yaml",
    ]
    skipped = json.loads(
        cli("check", FOLDER, "--as-of", AS_OF, "-f", "json", "--skip-non-plans").output
    )
    assert [plan["file"] for plan in skipped["plans"]] == [f for f in files if "settings" not in f]
    # one invalid plan does not hide the findings of the others
    assert skipped["plans"][0]["findings"]
    empty = cli("check", "tests/golden/ci")
    assert empty.exit_code == 2


def test_the_step_summary_is_appended_when_github_asks(cli: Cli, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n")
    result = cli(
        "check", f"{FOLDER}/late.yaml", "--as-of", AS_OF, env={"GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert result.exit_code == 1
    text = summary.read_text()
    assert text.startswith("# earlier step\n## ❌ cutover check: FAIL")
    assert "| ❌ | `late` | `build` | 6 |" in text


def test_the_summary_stays_under_the_limit_and_says_what_it_left_out(tmp_path: Path) -> None:
    from cutover.findings.pipeline import check_plan  # noqa: PLC0415

    tasks = "\n".join(
        f"  - {{id: t{i}, duration: 1d, deadline: 2025-06-16T10:00}}" for i in range(400)
    )
    plan = tmp_path / "many.yaml"
    plan.write_text(f"plan: many\nstart: 2025-06-16\ntasks:\n{tasks}\n")
    from datetime import datetime  # noqa: PLC0415

    result = check_plan(plan, now=None, as_of=datetime(2025, 6, 17))
    text = markdown_summary([result], limit=20_000)
    assert len(text.encode()) <= 20_000
    assert re.search(r"\*\d+ more findings are not shown here", text)
    assert "| ❌ | `missed-deadline` | `t0` |" in text


def test_markdown_cells_escape_pipes_and_markup(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "odd.yaml"
    plan.write_text(
        "plan: odd\nstart: 2025-06-16\ntasks:\n  - {id: a, duration: 1d, 'dead|<b>line': 1}\n"
    )
    output = cli("check", str(plan), "-f", "markdown").output
    row = next(line for line in output.splitlines() if "unknown key" in line)
    assert "dead\\|&lt;b&gt;line" in row
    assert row.count(" | ") == 2  # three cells: the pipe in the key is escaped


def test_lint_codes_and_require(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "lint.yaml"
    plan.write_text(
        "plan: lint\nstart: 2025-06-16\nrequire: [owner]\ntasks:\n"
        "  - id: group\n    approver: Director\n    deadline: 2025-06-30\n    tasks:\n"
        "      - {id: a, duration: 1d, owner: A, deliverable: Report}\n"
        "      - {id: b, duration: 1d}\n"
        "  - {id: c, duration: 1d, owner: C, approver: D, deliverable: E}\n"
        "  - {id: d, duration: 1d, owner: C, approver: D, deliverable: E, after: [c],\n"
        "     deadline: 2025-06-30}\n"
    )
    result = cli("lint", str(plan), "-f", "json")
    assert result.exit_code == 1  # owner is required: its absence is an error
    findings = {
        (f["code"], f["task"], f["level"])
        for f in json.loads(result.output)["plans"][0]["findings"]
    }
    assert findings == {
        ("missing-owner", "b", "error"),
        ("missing-deliverable", "b", "warning"),
    }
    # check enforces what a plan requires even without --lint; --lint adds the rest
    plain = json.loads(cli("check", str(plan), "--as-of", "2025-06-16", "-f", "json").output)
    assert {f["code"] for f in plain["plans"][0]["findings"]} == {"missing-owner"}
    linted = json.loads(
        cli("check", str(plan), "--as-of", "2025-06-16", "-f", "json", "--lint").output
    )
    assert {f["code"] for f in linted["plans"][0]["findings"]} == {
        "missing-owner",
        "missing-deliverable",
    }


def test_lint_of_the_flagship_is_clean(cli: Cli) -> None:
    result = cli("lint", "plans/tuyenquang.yaml")
    assert result.exit_code == 0
    assert "OK: 0 errors, 0 warnings in 1 plan" in result.output


# -- the GitHub Action runs its own command lines (the hooks: test_pre_commit.py) ------------


def _action_step(name: str) -> dict[str, object]:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    (step,) = [s for s in action["runs"]["steps"] if s["name"] == name]
    return dict(step)


def test_the_action_passes_inputs_through_the_environment_only() -> None:
    action_text = (ROOT / "action.yml").read_text()
    action = yaml.safe_load(action_text)
    assert set(action["inputs"]) >= {"paths", "as-of", "fail-on"}
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], "inputs go through env:, never into the script"
            assert step.get("shell") == "bash"


def test_the_action_sets_up_python_caches_pip_and_installs_itself() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    steps = action["runs"]["steps"]
    uses = [step["uses"].split("@")[0] for step in steps if "uses" in step]
    assert uses == ["actions/setup-python", "actions/cache"]
    (python,) = [step for step in steps if step.get("uses", "").startswith("actions/setup-")]
    assert python["with"]["python-version"] == "${{ inputs.python-version }}"
    minor = int(action["inputs"]["python-version"]["default"].split(".")[1])
    assert minor >= 11  # requires-python
    (cache,) = [step for step in steps if step.get("uses", "").startswith("actions/cache")]
    assert cache["with"]["path"] == "${{ steps.pip-cache.outputs.dir }}"
    assert "steps.pip-cache.outputs.hash" in cache["with"]["key"]
    install = _action_step("Install cutover")
    assert install["env"] == {"ACTION_PATH": "${{ github.action_path }}"}
    assert 'pip install --disable-pip-version-check --quiet "$ACTION_PATH"' in str(install["run"])
    order = [step["name"] for step in steps]
    assert order.index("Install cutover") < order.index("Check the plans")


def _outputs(file: Path) -> dict[str, str]:
    return dict(line.split("=", 1) for line in file.read_text().splitlines())


def test_the_pip_cache_key_step_writes_the_folder_and_a_hash(tmp_path: Path) -> None:
    step = _action_step("Key of the pip cache")
    assert step["id"] == "pip-cache"
    github_output = tmp_path / "github-output"
    env = {**os.environ, "ACTION_PATH": str(ROOT), "GITHUB_OUTPUT": str(github_output)}
    result = subprocess.run(
        ["bash", "-c", str(step["run"])], capture_output=True, text=True, env=env, check=False
    )
    assert result.returncode == 0, result.stderr
    outputs = _outputs(github_output)
    assert set(outputs) == {"dir", "hash"}
    assert outputs["dir"].startswith("/")
    assert re.fullmatch(r"[0-9a-f]{16}", outputs["hash"])


@pytest.mark.slow
def test_the_action_outputs_come_from_the_check_step(tmp_path: Path) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    check = _action_step("Check the plans")
    assert check["id"] == "check"
    outputs = action["outputs"]
    assert {"ok", "errors", "junit"} <= set(outputs)
    for name, output in outputs.items():
        assert output["value"] == f"${{{{ steps.check.outputs.{name} }}}}"
        assert output["description"]
    github_output = tmp_path / "github-output"
    env = {
        **{k: v for k, v in os.environ.items() if k != "GITHUB_STEP_SUMMARY"},
        "CUTOVER_PATHS": f"{FOLDER}/late.yaml {FOLDER}/on-time.yaml",
        "CUTOVER_AS_OF": AS_OF,
        "CUTOVER_FAIL_ON": "error",
        "CUTOVER_JUNIT": str(tmp_path / "junit.xml"),
        "GITHUB_OUTPUT": str(github_output),
        "RUNNER_TEMP": str(tmp_path),
    }
    script = str(check["run"])
    late = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=ROOT, env=env, check=False
    )
    assert late.returncode == 1, late.stdout + late.stderr
    assert _outputs(github_output) == {
        "ok": "false",
        "errors": "2",
        "warnings": "3",
        "exit-code": "1",
        "junit": str(tmp_path / "junit.xml"),
    }
    assert set(_outputs(github_output)) == set(outputs)
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".json"] == []  # cleaned up
    github_output.unlink()
    clean = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=ROOT, check=False,
        env={**env, "CUTOVER_PATHS": f"{FOLDER}/on-time.yaml", "CUTOVER_JUNIT": ""},
    )  # fmt: skip
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert _outputs(github_output) == {
        "ok": "true", "errors": "0", "warnings": "0", "exit-code": "0", "junit": ""
    }  # fmt: skip


@pytest.mark.slow
def test_the_action_check_step_runs_and_cannot_be_injected(tmp_path: Path) -> None:
    script = _action_step("Check the plans")["run"]
    assert isinstance(script, str)
    marker = tmp_path / "pwned"
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "CUTOVER_PATHS": (
            f"{FOLDER}/late.yaml {FOLDER}/on-time.yaml\n$(touch {marker}) `touch {marker}`"
        ),
        "CUTOVER_AS_OF": AS_OF,
        "CUTOVER_FAIL_ON": "error",
        "CUTOVER_JUNIT": str(tmp_path / "junit.xml"),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    result = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=ROOT, env=env, check=False
    )
    assert not marker.exists()
    assert result.returncode == 2  # the crafted "paths" are just missing files: invalid
    assert "::error file=tests/plans/ci/late.yaml,line=6" in result.stdout
    assert (tmp_path / "junit.xml").exists()
    assert summary.read_text().startswith("## ❌ cutover check")
    clean = subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=ROOT, check=False,
        env={**env, "CUTOVER_PATHS": f"{FOLDER}/on-time.yaml", "CUTOVER_JUNIT": ""},
    )  # fmt: skip
    assert clean.returncode == 0, clean.stdout + clean.stderr
