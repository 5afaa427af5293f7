"""Verdict accuracy of `storybot check` on hand-written claims, per class.

    python benchmarks/claims.py [CLAIMS.jsonl ...] [--sources DIR] [--index DIR]

Runs `storybot check --json -` once (batch mode, one model load) over each file's claims, compares
each verdict with the expected one and prints accuracy per class (supported / contradicted /
not_in_story), the confusion matrix, and each miss. benchmarks/quality.py imports `claim_accuracy`
and `format_report`.

Default files: benchmarks/data/story_claims.jsonl (the 63 claims written before any system existed)
and benchmarks/data/story_claims_heldout.jsonl (20 claims written before the checker first ran on them).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
DEFAULT_FILES = [DATA / "story_claims.jsonl", DATA / "story_claims_heldout.jsonl"]
CLASSES = ("supported", "contradicted", "not_in_story")


@dataclass
class ClaimReport:
    name: str
    total: int = 0
    correct: int = 0
    per_class: dict[str, list[int]] = field(default_factory=lambda: {c: [0, 0] for c in CLASSES})  # [right, of]
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)  # (expected, got) -> count
    misses: list[tuple[str, str, str, str]] = field(default_factory=list)  # claim, expected, got, reason

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0


def run_check(claims: list[dict], *, sources: Path | None = None, index: Path | None = None) -> list[dict]:
    """Verdict objects from `storybot check --json -`, one per claim, in order."""
    cmd = [sys.executable, "-m", "storybot", "check", "--json", "-"]
    if sources is not None:
        cmd += ["--sources", str(sources)]
    if index is not None:
        cmd += ["--index", str(index)]
    lines = "".join(json.dumps({"claim": c["claim"], **({"source": c["source"]} if c.get("source") else {})}) + "\n"
                    for c in claims)
    result = subprocess.run(cmd, input=lines, capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=1800)
    out = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    if len(out) != len(claims):
        raise RuntimeError(f"storybot check returned {len(out)} verdicts for {len(claims)} claims "
                           f"(exit {result.returncode}): {result.stderr.strip()[-500:]}")
    return out


def claim_accuracy(path: Path, *, sources: Path | None = None, index: Path | None = None) -> ClaimReport:
    """Run the checker over one claims file and score it against the expected verdicts."""
    claims = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    report = ClaimReport(path.name)
    for claim, got in zip(claims, run_check(claims, sources=sources, index=index)):
        expected = claim["verdict"]
        verdict = got.get("verdict", "error")
        report.total += 1
        report.per_class[expected][1] += 1
        report.confusion[(expected, verdict)] = report.confusion.get((expected, verdict), 0) + 1
        if verdict == expected:
            report.correct += 1
            report.per_class[expected][0] += 1
        else:
            report.misses.append((claim["claim"], expected, verdict, got.get("reason") or got.get("error", "")))
    return report


def format_report(report: ClaimReport, *, misses: bool = True) -> str:
    lines = [f"{report.name}: verdict accuracy {report.correct}/{report.total} = {report.accuracy:.1%}"]
    for cls in CLASSES:
        right, of = report.per_class[cls]
        if of:
            lines.append(f"  {cls:<13} {right:>3}/{of:<3} {right / of:6.1%}")
    got_classes = CLASSES + tuple(sorted({g for _, g in report.confusion} - set(CLASSES)))
    lines.append("  confusion (rows: expected, columns: got)")
    lines.append("  " + " " * 13 + "".join(f"{g[:13]:>14}" for g in got_classes))
    for cls in CLASSES:
        lines.append(f"  {cls:<13}" + "".join(f"{report.confusion.get((cls, g), 0):>14}" for g in got_classes))
    if misses:
        for claim, expected, got, reason in report.misses:
            lines.append(f"  miss: {claim!r} expected {expected}, got {got} ({reason})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=DEFAULT_FILES)
    parser.add_argument("--sources", type=Path)
    parser.add_argument("--index", type=Path)
    args = parser.parse_args(argv)
    for path in args.files:
        print(format_report(claim_accuracy(path, sources=args.sources, index=args.index)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
