"""What a reader's browser fetches and waits for: first page load, first search, time to the first result."""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import statistics
import subprocess
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

QUERY = "Kierkegaard"  # an author surname bench/generate.py gives a few picks
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
# Already compressed by their producer: a host sends them as they are.
COMPRESSED = (".pagefind", ".pf_index", ".pf_fragment", ".pf_meta", ".pf_filter", ".png", ".ico")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def _sent(site: Path, path: str) -> tuple[int, int]:
    """(bytes on disk, bytes a gzip-serving host such as GitHub Pages sends) of one fetched file."""
    file = site / path.split("?")[0].lstrip("/")
    if file.is_dir():
        file = file / "index.html"
    raw = file.read_bytes()
    return len(raw), len(raw) if file.name.endswith(COMPRESSED) else len(gzip.compress(raw, 6))


def reader_figures(site: Path, query: str = QUERY, repeat: int = 5) -> dict[str, float]:
    """Bytes of a first page load and of a first search (raw and gzipped), and the median seconds from the
    first keystroke to the first result when the reader types the moment the home page has loaded."""
    from playwright.sync_api import sync_playwright

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    found: dict[str, list[float]] = {key: [] for key in ("load", "load_gz", "search", "search_gz", "first_result")}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(repeat):
            context = browser.new_context()  # nothing cached
            page = context.new_page()
            fetched: list[str] = []
            page.on("requestfinished", lambda request, fetched=fetched: fetched.append(request.url))
            page.goto(url, wait_until="load")
            typed = time.perf_counter()
            page.locator(".md-search__input").first.click()
            page.locator("input.md-search__input").press_sequentially(query)
            page.locator(".md-search-result__item").first.wait_for(timeout=120_000)
            found["first_result"].append(time.perf_counter() - typed)
            context.close()
            # Bytes apart from timing: load until the network is idle, then search and wait for idle again.
            context = browser.new_context()
            page = context.new_page()
            fetched = []
            page.on("requestfinished", lambda request, fetched=fetched: fetched.append(request.url))
            page.goto(url, wait_until="networkidle")
            loaded = len(fetched)
            page.locator(".md-search__input").first.click()
            page.locator("input.md-search__input").press_sequentially(query)
            page.locator(".md-search-result__item").first.wait_for(timeout=120_000)
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(300)
            for key, urls in (("load", fetched[:loaded]), ("search", fetched[loaded:])):
                sizes = [_sent(site, u.removeprefix(url)) for u in urls if u.startswith(url)]
                found[key].append(sum(raw for raw, _ in sizes))
                found[f"{key}_gz"].append(sum(gz for _, gz in sizes))
            context.close()
        browser.close()
    server.shutdown()
    return {key: statistics.median(values) for key, values in found.items()}


def main() -> None:
    from run import OUT, ROOT, SIDES, generate  # bench/ is on sys.path when this file runs

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,3000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    results: dict[str, dict[str, dict[str, float]]] = {}
    for count in [int(n) for n in args.sizes.split(",") if n]:
        work = OUT / f"reader-{count}"
        picks = generate(count, work / "source" / "picks") if not (work / "source").exists() else None
        picks = picks or sorted((work / "source" / "picks").rglob("*.md"))
        results[str(count)] = {}
        for side in ("ours", "peer"):
            make, python, _ = SIDES[side]
            config = make(picks, work / side)
            subprocess.run([python, "-m", "mkdocs", "build", "-q", "-f", str(config)], cwd=work / side, check=True)
            results[str(count)][side] = reader_figures(work / side / "site", QUERY, args.repeat)
            print(f"  reader N={count} {side}: {results[str(count)][side]}", flush=True)
    (OUT / "reader.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    readme = ROOT / "bench" / "README.md"
    head, rest = readme.read_text("utf-8").split("<!-- reader -->", 1)
    tail = rest.split("<!-- /reader -->", 1)[1]
    readme.write_text(f"{head}<!-- reader -->\n{table(results)}<!-- /reader -->{tail}", "utf-8")


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    """The reader-side figures as the Markdown table bench/README.md shows."""
    rows = []
    for count, sides in results.items():
        ours, peer = sides["ours"], sides["peer"]
        cells = [f"{int(count):,}"]
        for key in ("load", "load_gz", "search", "search_gz"):
            cells.append(f"{ours[key] / 1000:,.0f} / {peer[key] / 1000:,.0f}")
        cells.append(f"{ours['first_result']:.2f} / {peer['first_result']:.2f}")
        rows.append("| " + " | ".join(cells) + " |")
    return (
        "| picks | first page load KB ours/peer | gzipped | first search KB ours/peer | gzipped "
        "| first result s ours/peer |\n|---:|---:|---:|---:|---:|---:|\n" + "\n".join(rows) + "\n"
    )


if __name__ == "__main__":
    main()
