"""An author's preview: seconds from saving one pick's body to ``mkdocs serve`` serving the new text, at N
generated picks on the repository's mkdocs.yml, against a full build: ``python bench/preview.py 1000``."""

from __future__ import annotations

import argparse
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate  # noqa: E402
from run import make_ours  # noqa: E402


def _get(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int, nargs="?", default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        picks = generate(args.count, root / "picks")
        make_ours(picks, root)  # the configuration users deploy, as in bench/run.py
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        started = time.perf_counter()
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            encoding="utf-8",
        )
        log: list[str] = []
        threading.Thread(target=lambda: log.extend(iter(server.stdout.readline, "")), daemon=True).start()
        base = f"http://127.0.0.1:{port}/daily-picks/"
        while not _get(base):
            time.sleep(0.1)
        print(f"{args.count} picks: first full build and serve in {time.perf_counter() - started:.2f} s")
        target = picks[-1]  # the newest: what an author edits, and in every feed it belongs to
        page = f"{base}picks/{target.stem}/"

        def edit_body(text: str, round_: int) -> tuple[str, str]:
            marker = f"Edited body number {round_} here."
            body_start = text.index("\n---\n", 4) + 5
            rest = re.sub(r"Edited body number \d+ here.\n", "", text[body_start:])
            return text[:body_start] + f"\n{marker}\n" + rest, marker

        def edit_title(text: str, round_: int) -> tuple[str, str]:
            marker = f"Retitled number {round_}"
            return re.sub(r"^title: .*$", f"title: {marker}", text, count=1, flags=re.MULTILINE), marker

        waits: dict[str, list[float]] = {"body": [], "title": []}
        for what, edit in (("body", edit_body), ("title", edit_title)):
            for round_ in range(args.repeat):
                text, marker = edit(target.read_text("utf-8"), round_)
                target.write_text(text, "utf-8")
                saved = time.perf_counter()
                while marker not in _get(page):
                    time.sleep(0.02)
                waits[what].append(time.perf_counter() - saved)
                time.sleep(0.5)
        server.terminate()
        server.wait()
        fast = sum("Rebuilt only" in line for line in log)
        full = statistics.median(
            float(m[1]) for line in log if (m := re.search(r"Documentation built in ([\d.]+) seconds", line))
        )
        for what, seconds in waits.items():
            print(
                f"save → new {what} served: median {statistics.median(seconds):.2f} s over {len(seconds)} edits; "
                f"a full build: {full:.2f} s (ratio {statistics.median(seconds) / full:.2f})"
            )
        print(f"{fast} of {sum(len(s) for s in waits.values())} saves took the fast path")


if __name__ == "__main__":
    main()
