"""Start-up: ``cutover --help`` in fresh processes, next to a bare interpreter's start.

Prints the median, minimum and maximum wall time of N runs of each, and the median CPU
time (user + system, from the child's rusage: less swayed by other work on the machine),
the versions of the command-line libraries installed (typer's help formatting was most
of the cost, and it changes between typer releases), and with ``--importtime`` the
slowest imports of one run.

    python benchmarks/startup.py                 # python -m cutover --help, 21 runs
    python benchmarks/startup.py --script        # the installed `cutover` console script
    python benchmarks/startup.py --importtime 15
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version

LIBRARIES = ("typer", "click", "rich", "pydantic", "shellingham")


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _versions() -> str:
    python = ".".join(str(part) for part in sys.version_info[:3])
    return ", ".join([f"python {python}", *(f"{name} {_version(name)}" for name in LIBRARIES)])


def _run(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one child process, which must succeed."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed")
    return wall, usage.ru_utime + usage.ru_stime


def _spread(command: list[str], runs: int) -> str:
    measured = [_run(command) for _ in range(runs)]
    walls = sorted(wall for wall, _ in measured)
    cpu = statistics.median(cpu for _, cpu in measured)
    return (
        f"wall median {statistics.median(walls):.3f} s, min {walls[0]:.3f} s, "
        f"max {walls[-1]:.3f} s; CPU median {cpu:.3f} s ({runs} runs)"
    )


def _slowest_imports(command: list[str], count: int) -> list[str]:
    """The ``count`` largest cumulative import times of one run, as importtime prints them."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *command[1:]],
        capture_output=True,
        text=True,
        check=False,
    )
    rows = []
    for line in result.stderr.splitlines():
        found = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)", line)
        if found:
            rows.append((int(found[2]), f"{int(found[2]) / 1000:7.1f} ms  {found[3]}{found[4]}"))
    return [row for _, row in sorted(rows, reverse=True)[:count]]


def main() -> None:
    """Time ``cutover --help`` and print the figures with the library versions."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="fresh processes per command")
    parser.add_argument(
        "--script", action="store_true", help="run the `cutover` script on the PATH"
    )
    parser.add_argument("--importtime", type=int, default=0, metavar="N", help="N slowest")
    args = parser.parse_args()
    if args.script:
        found = shutil.which("cutover")
        if found is None:
            sys.exit("no cutover on the PATH: pip install . first")
        command = [found, "--help"]
    else:
        command = [sys.executable, "-m", "cutover", "--help"]
    print(_versions())
    if os.environ.get("PYTHONPATH"):
        print(f"PYTHONPATH={os.environ['PYTHONPATH']}")
    print(f"`{' '.join(command[-3:])}`: {_spread(command, args.runs)}")
    print(f"`python -c pass`: {_spread([sys.executable, '-c', 'pass'], args.runs)}")
    if args.importtime:
        print(f"slowest imports (cumulative) of `{' '.join(command[-3:])}`:")
        for row in _slowest_imports([sys.executable, "-m", "cutover", "--help"], args.importtime):
            print(f"  {row}")


if __name__ == "__main__":
    main()
