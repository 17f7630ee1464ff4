"""picks import of an X archive of 500 tweets (30 picks) and of 5,000 (300 picks) against the arXiv stand-in:
medians of 3 and the requests made (python bench/import_archive.py)."""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from click.testing import CliRunner  # noqa: E402
from fake_apis import ArxivPaper, FakeApis, serve_apis  # noqa: E402

import generator.sources.metadata as metadata  # noqa: E402
from conftest import write_project  # noqa: E402
from generator.cli import main as picks  # noqa: E402

HEADER = "🔍 Today's pick in Interpretability &amp; Analysis of LMs:"


def archive(folder: Path, tweets: int, picks_count: int) -> list[ArxivPaper]:
    """data/tweets.js of ``tweets`` tweets: ``picks_count`` threads of three posts, the rest plain posts."""
    records, papers, number = [], [], 0

    def tweet(text: str, reply: int | None = None, urls: list | None = None) -> dict:
        nonlocal number
        number += 1
        when = datetime(2020, 1, 1, tzinfo=UTC) + timedelta(minutes=7 * number)
        record = {
            "id_str": str(10**18 + number),
            "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"),
            "full_text": text,
            "entities": {"urls": urls or [], "hashtags": [], "user_mentions": []},
        }
        if reply:
            record |= {"in_reply_to_status_id_str": str(10**18 + reply), "in_reply_to_user_id_str": "1"}
        records.append({"tweet": record})
        return record

    for n in range(picks_count):
        arxiv_id = f"2401.{n:05d}"
        papers.append(ArxivPaper(arxiv_id, f"Paper number {n}", ["Ada Lovelace", "Alan Turing"], {1: "2024-01-02"}))
        tweet(
            f"{HEADER} Paper number {n} by A. Lovelace\n📄 https://t.co/{n}",
            urls=[{"url": f"https://t.co/{n}", "expanded_url": f"https://arxiv.org/abs/{arxiv_id}"}],
        )
        first = number
        tweet("A summary of the paper.\nNotable findings:\n- One thing. - Another thing", reply=first)
        tweet("- A third thing\n#interpretability", reply=first + 1)
    while number < tweets:
        tweet(f"A plain post, number {number}.")
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "account.js").write_text(
        'window.YTD.account.part0 = [{"account": {"accountId": "1", "username": "curator"}}]', encoding="utf-8"
    )
    (folder / "data" / "tweets.js").write_text("window.YTD.tweets.part0 = " + json.dumps(records), encoding="utf-8")
    return papers


def run(tweets: int, picks_count: int) -> tuple[float, int, int]:
    """Median seconds of three dry runs, arXiv requests per run, picks planned."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        papers = archive(root / "archive", tweets, picks_count)
        (root / "site").mkdir()
        write_project(root / "site", {})
        os.chdir(root / "site")
        for apis in serve_apis(FakeApis(arxiv={p.base: p for p in papers})):
            os.environ["PICKS_ARXIV_API"] = apis.arxiv_api
            times = []
            for _ in range(3):
                apis.requests.clear()
                start = time.perf_counter()
                result = CliRunner().invoke(picks, ["import", "--dry-run", str(root / "archive")])
                times.append(time.perf_counter() - start)
                assert result.exit_code == 0, result.output
            planned = result.output.count("would write picks/")
            return statistics.median(times), len(apis.requests), planned
    raise AssertionError("unreachable")


def main() -> None:
    metadata.ARXIV_SPACING = 0.0  # our own cost; arXiv's terms add 3 s between requests, counted below
    rows = [(tweets, count, *run(tweets, count)) for tweets, count in ((500, 30), (5_000, 300))]
    for tweets, count, seconds, requests, planned in rows:
        spacing = metadata_spacing(requests)
        print(
            f"{tweets:>5} tweets, {count} picks: {seconds:.2f} s (median of 3), {requests} arXiv request(s), "
            f"{planned} picks planned; + {spacing:.0f} s of the API's spacing"
        )
    print(f"10x the archive: {rows[1][2] / rows[0][2]:.1f}x the time")


def metadata_spacing(requests: int) -> float:
    return 3.0 * max(requests - 1, 0)


if __name__ == "__main__":
    main()
