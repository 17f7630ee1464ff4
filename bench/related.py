"""Related picks at 1,000 to 10,000 picks: time grows with the overlaps, not the square (python bench/related.py)."""

from __future__ import annotations

import random
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from conftest import VALID_PICK, load_one_pick  # noqa: E402
from generator.core.people import People  # noqa: E402
from generator.core.related import related_picks  # noqa: E402


def picks(count: int, seed: int = 1) -> list:
    """Picks of a site that grows as real ones do: authors from a pool that grows with it, a few popular tags."""
    rng = random.Random(seed)
    base = load_one_pick(VALID_PICK)
    authors = [f"Given{i} Family{i}" for i in range(count // 2)]
    tags = [f"topic {i}" for i in range(60)]
    out = []
    for n in range(count):
        paper = replace(base.papers[0], authors=tuple(rng.sample(authors, 4)), arxiv=f"2404.{n:05d}")
        chosen = tuple(rng.sample(tags[:5], 1) + rng.sample(tags, 2))  # one of five popular tags on every pick
        out.append(
            replace(
                base, id=f"2024-01-01-p{n}", papers=(paper,), tags=chosen, instant=base.instant + timedelta(hours=n)
            )
        )
    return out


def main() -> None:
    rows = []
    for count in (1_000, 2_000, 5_000, 10_000):
        site = picks(count)
        runs = []
        for _ in range(3):
            start = time.perf_counter()
            related_picks(site, People())
            runs.append(time.perf_counter() - start)
        rows.append((count, sorted(runs)[1]))
        print(f"{count:>6} picks: {rows[-1][1]:.2f} s (median of 3)", flush=True)
    first = rows[0]
    for count, seconds in rows[1:]:
        print(
            f"{count // first[0]}x the picks: {seconds / first[1]:.1f}x the time (quadratic would be "
            f"{(count // first[0]) ** 2}x)"
        )


if __name__ == "__main__":
    main()
