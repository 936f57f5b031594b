"""Figures for `make reliability`: each reliability test reports what it tried and what happened.

A test asks for the ``reliability`` fixture and calls it once per check::

    reliability("decisions: 4 simultaneous", tried=4, succeeded=1, refused=3, lost=0)

The figures go to ``test-output/reliability/<test>.json``; ``scripts/reliability-report`` prints
them as one table. The test itself still asserts every figure that must be zero: the table is a
report, not the proof.
"""

import json
import os
import re
from pathlib import Path

FIGURES = ("tried", "succeeded", "refused", "lost", "leaked")
OUTPUT = Path(os.environ.get("RELIABILITY_OUTPUT", "test-output/reliability"))


class Recorder:
    def __init__(self, nodeid: str):
        self.nodeid = nodeid
        self.rows: list[dict] = []

    def __call__(self, check: str, **figures: int) -> None:
        unknown = set(figures) - set(FIGURES)
        if unknown:
            raise ValueError(f"unknown reliability figures: {sorted(unknown)}")
        self.rows.append({"check": check, "test": self.nodeid, **figures})

    def write(self) -> None:
        if not self.rows:
            return
        OUTPUT.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.nodeid)[-180:]
        (OUTPUT / f"{name}.json").write_text(json.dumps(self.rows, ensure_ascii=False, indent=1), encoding="utf-8")
