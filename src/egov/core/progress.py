"""Progress lines and a closing summary for long operator commands (imports, seeding, demo data)."""

import sys
import time
from dataclasses import dataclass, field
from typing import TextIO


@dataclass
class Summary:
    """What a load did: counts by outcome, and each failure named with its record and reason."""

    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    failures: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def fail(self, record: str, reason: str) -> None:
        self.failures.append(f"{record}: {reason}")

    def line(self) -> str:
        seconds = time.monotonic() - self.started
        text = (
            f"{self.label}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {len(self.failures)} failed ({seconds:.1f} s)"
        )
        return text + "".join(f"\n  ! {failure}" for failure in self.failures)


class Progress:
    """Print ``label: done/total`` at most every ``every`` items, and always at the end."""

    def __init__(self, label: str, total: int, out: TextIO | None = None, every: int = 500) -> None:
        self.label, self.total, self.every = label, total, every
        self.out = out or sys.stdout
        self.done = 0

    def step(self, count: int = 1) -> None:
        self.done += count
        if self.done % self.every < count or self.done == self.total:
            self.out.write(f"  {self.label}: {self.done}/{self.total}\n")
            self.out.flush()
