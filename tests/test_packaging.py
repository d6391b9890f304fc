"""Every install instruction installs this project, whose PyPI-free name is cutover-planner.

"cutover" on PyPI is an unrelated project: ``pip install cutover`` anywhere in the docs
or the CI files would install it instead of this one.
"""

from __future__ import annotations

import re
import tomllib

import yaml

from cutover import __version__
from tests.conftest import ROOT

PYPROJECT = ROOT / "pyproject.toml"
README = (ROOT / "README.md").read_text(encoding="utf-8")
REPOSITORY = "https://github.com/cutover/cutover"
#: How a release is installed without a clone: this repository at the tag of this version.
FROM_THE_TAG = f'pip install "cutover-planner @ git+{REPOSITORY}@v{__version__}"'


def test_the_distribution_is_cutover_planner_with_the_command_cutover() -> None:
    pyproject = tomllib.loads(PYPROJECT.read_text())
    project = pyproject["project"]
    assert project["name"] == "cutover-planner"
    assert project["scripts"] == {"cutover": "cutover.cli:main"}
    # One version, cutover.__version__, which --version prints and the tag names.
    assert "version" not in project
    assert project["dynamic"] == ["version"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "cutover.__version__"}
    # license = "MIT" (PEP 639) is read by setuptools 77 and later only.
    assert pyproject["build-system"]["requires"] == ["setuptools>=77"]


def _pip_installs(text: str) -> list[str]:
    return [match.strip() for match in re.findall(r"pip install[^\n&]*", text)]


def test_every_install_instruction_installs_this_project() -> None:
    allowed = {
        "pip install .",
        "pip install -e '.[test]'",
        FROM_THE_TAG,
        'pip install --disable-pip-version-check --quiet "$ACTION_PATH"',
    }
    sources = {
        "README.md": README,
        ".ci/run": (ROOT / ".ci" / "run").read_text(),
        "action.yml": (ROOT / "action.yml").read_text(),
    }
    found = {name: _pip_installs(text) for name, text in sources.items()}
    for name, commands in found.items():
        for command in commands:
            assert command in allowed, f"{name}: {command}"
    assert FROM_THE_TAG in found["README.md"]
    gitlab = README.split("**GitLab CI:**", 1)[1].split("```", 2)[1]
    assert FROM_THE_TAG in gitlab
    assert found["action.yml"]


def test_the_readme_pins_the_action_and_the_hooks_to_this_release() -> None:
    assert f"uses: cutover/cutover@v{__version__}" in README
    assert f"repo: {REPOSITORY}\n    rev: v{__version__}\n" in README
    assert "@main" not in README
    assert "rev: main" not in README


def test_the_action_installs_itself_not_a_package_by_name() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    (install,) = [step for step in action["runs"]["steps"] if step.get("name") == "Install cutover"]
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    assert str(install["run"]).rstrip().endswith('"$ACTION_PATH"')


def test_the_quick_set_is_documented_and_ci_runs_every_test() -> None:
    pytest_options = tomllib.loads(PYPROJECT.read_text())["tool"]["pytest"]["ini_options"]
    assert any(marker.startswith("slow:") for marker in pytest_options["markers"])
    assert "--strict-markers" in pytest_options["addopts"]
    assert '\npython -m pytest -m "not slow"\n' in README
    (run,) = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if "pytest" in line]
    assert run.endswith("python -m pytest")  # the slow tests too
