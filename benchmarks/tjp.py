"""Convert a cutover plan to a TaskJuggler 3 project (``.tjp``) and read tj3's dates back.

    python benchmarks/tjp.py plan.yaml > plan.tjp
    tj3 --silent -o out plan.tjp          # writes out/dates.csv (id;start;end)

The conversion is cutover's own exporter (``cutover export --format tjp``, in
``cutover.interchange.tjp_writer``, whose docstring gives the mapping); this module adds
what the benchmarks and the agreement test need around it: running tj3 and reading its
dates back as cutover defines them.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import shutil
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cutover.engine.graph import build_graph
from cutover.interchange.tjp_writer import Conversion, ConversionError, convert
from cutover.planfile.loader import load_plan

if TYPE_CHECKING:
    from cutover.engine.graph import TaskGraph

__all__ = [
    "Conversion",
    "ConversionError",
    "convert",
    "convert_file",
    "normalise",
    "read_dates",
    "run_tj3",
]
_TASK_ID = re.compile(r"(?:^|\.)t(\d+)$")


def convert_file(path: Path | str, *, report: bool = True) -> Conversion:
    """Load a plan with cutover and convert it; the window ends after cutover's finish."""
    return convert(build_graph(load_plan(path)), report=report)


# -- reading tj3's dates back ------------------------------------------------------------------


def read_dates(csv_text: str, graph: TaskGraph) -> dict[int, tuple[int, int]]:
    """The start and end tj3 reports for each node, as cutover wall-clock minutes."""
    rows = csv.reader(io.StringIO(csv_text), delimiter=";")
    next(rows, None)
    dates: dict[int, tuple[int, int]] = {}
    for row in rows:
        if len(row) < 3:
            continue
        found = _TASK_ID.search(row[0])
        if found is None:  # a not_before anchor
            continue
        start, end = (
            graph.timebase.minute(datetime.strptime(text.strip(), "%Y-%m-%d %H:%M %z"))
            for text in row[1:3]
        )
        dates[int(found.group(1))] = (start, end)
    return dates


def normalise(graph: TaskGraph, raw: dict[int, tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """tj3's dates as cutover defines them: a task with work starts at a working minute.

    A summary spans its sub-tasks' normalised dates (tj3 prints the earliest raw start).
    """
    out: dict[int, tuple[int, int]] = {}
    for node in graph.order:  # sub-tasks come before their summary
        if graph.is_summary[node]:
            kids = [out[kid] for kid in graph.children[node]]
            out[node] = (min(start for start, _ in kids), max(end for _, end in kids))
        elif graph.is_instant[node]:
            out[node] = raw[node]
        else:
            start, end = raw[node]
            calendar = graph.calendar[node]
            out[node] = (calendar.start_at(calendar.position(start)), end)
    return out


def run_tj3(
    tjp: Path, out_dir: Path | None = None, *, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """Run tj3 on a file: with ``out_dir`` its reports go there, else ``--no-reports``."""
    executable = shutil.which("tj3")
    if executable is None:
        raise FileNotFoundError("tj3 is not installed (apt-get install -y tj3)")
    command = [executable, "--silent", "--no-color"]
    if out_dir is None:
        command.append("--no-reports")
    else:
        out_dir.mkdir(parents=True, exist_ok=True)
        command += ["-o", str(out_dir)]
    result = subprocess.run(
        [*command, str(tjp)], capture_output=True, text=True, check=False, timeout=timeout
    )
    if result.returncode != 0:
        raise RuntimeError(f"tj3 failed on {tjp}:\n{result.stderr}{result.stdout}")
    return result


def main() -> None:
    """Convert the plan named on the command line and print the .tjp."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("plan", type=Path)
    parser.add_argument("--no-report", action="store_true", help="leave out the CSV report")
    args = parser.parse_args()
    try:
        conversion = convert_file(args.plan, report=not args.no_report)
    except ConversionError as exc:
        sys.exit(f"cannot convert {args.plan}: {exc}")
    sys.stdout.write(conversion.text)


if __name__ == "__main__":
    main()
