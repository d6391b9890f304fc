"""Measuring one command in a fresh process, shared by the benchmark scripts.

Wall time comes from the clock around the child, peak memory from the child's own rusage
(``wait4``), so neither includes the benchmark script itself.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

#: Time to parse a plan file alone with PyYAML's C loader (or json): the floor of loading.
YAML_ALONE = """
import gc, json, sys, time, yaml
text = open(sys.argv[1], encoding="utf-8").read()
gc.disable()
t = time.perf_counter()
if sys.argv[1].endswith(".json"):
    json.loads(text)
else:
    yaml.load(text, Loader=yaml.CSafeLoader)
print(time.perf_counter() - t)
"""


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one child process; stop if it fails.

    Exit 1 counts as success: ``cutover check`` exits 1 when it has error findings.
    """
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    errors = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if child.returncode not in {0, 1}:
        sys.exit(f"{' '.join(command)} failed ({child.returncode}):\n{errors}")
    return seconds, usage.ru_maxrss / 1024


def median_run(command: list[str], repeat: int) -> tuple[float, float]:
    """The median wall time of ``repeat`` runs and the largest peak memory among them."""
    runs = [timed(command) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def python_output(code: str, *args: str) -> str:
    """Run ``code`` in a fresh interpreter and return what it printed."""
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()
