"""Benchmark group ``import`` (run inside Django by bench/suite.py): ``egov import dossiers``.

A legacy export of 100,000 dossiers (CSV, two years of Sở Tư pháp criminal-record certificates
and commune birth registrations, every outcome, some supplements) is imported through
``dossiers.legacy.import_file`` — reading, checking, storing with the history — and its cost
per row is set beside the cost per row of a 1,000-row export imported just before (the ratio
shows whether the import stays linear). Then the same 100,000-row file is imported again (it
adds nothing) and set beside the first import.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from egov.dossiers.legacy import import_file

LARGE = 100_000
SMALL = 1_000
COMMUNES = ("UBX25486", "UBX25480", "UBX25732")
HEADER = [
    "legacy_id", "source", "procedure", "agency", "channel", "applicant_name", "applicant_phone",
    "received_at", "due_at", "resolved_at", "returned_at", "closed_at", "outcome",
    "supplement_periods",
]  # fmt: skip
FORMAT = "%Y-%m-%d %H:%M"


def _story(rng: random.Random, received: datetime, days: int) -> tuple[str, ...]:
    """(resolved, returned, closed, outcome, supplements): the mix of a one-stop office."""
    resolved = returned = closed = supplements = ""
    draw = rng.random()
    if draw < 0.75:
        end = received + timedelta(days=rng.uniform(0.1, days * 1.3))
        resolved = f"{end:{FORMAT}}"
        if rng.random() < 0.9:
            returned = f"{end + timedelta(hours=rng.uniform(1, 30)):{FORMAT}}"
        asked = received + timedelta(hours=2)
        if rng.random() < 0.1 and asked + timedelta(hours=20) < end:
            supplements = f"{asked:{FORMAT}}~{asked + timedelta(hours=20):{FORMAT}}"
        return resolved, returned, closed, "resolved", supplements
    if draw < 0.82:
        return f"{received + timedelta(days=1):{FORMAT}}", "", "", "refused", ""
    if draw < 0.86:
        return "", "", f"{received + timedelta(hours=5):{FORMAT}}", "withdrawn", ""
    if draw < 0.88:
        return "", "", f"{received + timedelta(hours=9):{FORMAT}}", "stopped", ""
    return "", "", "", "pending", ""


def write_export(path: Path, n: int, prefix: str, seed: int) -> None:
    rng = random.Random(seed)
    start = datetime(2023, 7, 3, 8, 0)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(n):
            if rng.random() < 0.5:
                procedure, agency, days = "TMP-LLTP-CD", "STP", 10
            else:
                procedure, agency, days = "1.001193", rng.choice(COMMUNES), 1
            received = start + timedelta(
                days=rng.randrange(700), hours=rng.randrange(8), minutes=rng.randrange(60)
            )
            channel = rng.choice(["online", "direct", "post"])
            due = received + timedelta(days=days)
            writer.writerow(
                [f"{prefix}-{i:07d}", "bench", procedure, agency, channel, f"Nguyễn Văn {i}",
                 f"09{i:08d}", f"{received:{FORMAT}}", f"{due:{FORMAT}}",
                 *_story(rng, received, days)]
            )  # fmt: skip


def _timed(path: Path, expect_stored: int) -> float:
    started = time.perf_counter()
    report = import_file(path)
    seconds = time.perf_counter() - started
    if report.errors or report.stored != expect_stored:
        raise RuntimeError(f"bench import failed: {report.lines()} {report.errors[:5]}")
    print(f"    {report.lines()[0]} ({seconds:.1f} s)", file=sys.stderr, flush=True)
    return seconds


def import_rows(human: Callable[[float], str], row: Callable[..., dict]) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        small, large = Path(tmp) / "small.csv", Path(tmp) / "large.csv"
        write_export(small, SMALL, "S", seed=1)
        write_export(large, LARGE, "L", seed=2)
        print(f"import: {SMALL:,} then {LARGE:,} legacy dossiers", file=sys.stderr, flush=True)
        small_seconds = _timed(small, SMALL)
        large_seconds = _timed(large, LARGE)
        again_seconds = _timed(large, 0)
    per_small, per_large = small_seconds / SMALL, large_seconds / LARGE
    return [
        row(
            f"import {LARGE:,} legacy dossiers (per row)",
            per_large,
            f"import {SMALL:,} (per row)",
            per_small,
            f"{LARGE:,} rows in {large_seconds:.0f} s ({LARGE / large_seconds:,.0f} rows/s): "
            "read, checked, stored with ~3 history events each, in one transaction",
        ),
        row(
            f"import the same {LARGE:,} again (adds nothing)",
            again_seconds,
            "the first import",
            large_seconds,
            f"{human(again_seconds / LARGE)} per row: read, checked, found already imported",
        ),
    ]
