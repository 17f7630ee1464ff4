"""Hand audit: realistic bugs put in one at a time, the whole suite run with -x; writes bench/AUDIT.md.

mutmut changes single tokens of the core, outputs and sources; these are the bugs a developer would write in the
wiring, the templates, the time zone, non-ASCII text and the browser-side code, one per module family. Usage:
``python bench/audit.py [NAME...]`` (all by default); each run takes up to one whole suite (about 2.5 minutes).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Bug:
    name: str
    path: str
    old: str
    new: str
    what: str


BUGS = [
    Bug(
        "listings-neighbours",
        "generator/core/listings.py",
        "previous = {b.id: a for a, b in pairwise(picks)}",
        "previous = {a.id: b for a, b in pairwise(picks)}",
        "a pick page's 'previous' link points at the next pick",
    ),
    Bug(
        "feed-oldest",
        "generator/outputs/feed.py",
        "key=lambda p: p.sort_key, reverse=True)[:limit]",
        "key=lambda p: p.sort_key)[:limit]",
        "the feeds hold the oldest `limit` picks instead of the newest",
    ),
    Bug(
        "digest-running-closed",
        "generator/core/digest.py",
        "period_days(issue.period, every)[1] < today",
        "period_days(issue.period, every)[1] <= today",
        "on a period's last day, `picks email` takes the running period as closed",
    ),
    Bug(
        "digest-utc-period",
        "generator/core/digest.py",
        "grouped.setdefault(period_of(pick.instant.astimezone(tz).date(), every), []).append(pick)",
        "grouped.setdefault(period_of(pick.instant.date(), every), []).append(pick)",
        "digest issues grouped by the UTC date, not the site's",
    ),
    Bug(
        "bibtex-suffix",
        "generator/outputs/bibtex.py",
        "n, rest = divmod(n - 1, 26)",
        "n, rest = divmod(n, 26)",
        "a colliding BibTeX key gets 'b' first, and 'z' then 'ba'",
    ),
    Bug(
        "tag-slug-case",
        "generator/core/model.py",
        'return slugify(tag) or "tag"',
        'return slugify(tag, lowercase=False) or "tag"',
        "tag URLs keep capitals: 'SAEs' and 'saes' become two tags",
    ),
    Bug(
        "mailer-state-case",
        "generator/sources/mailer.py",
        "        address = address.lower()\n",
        "",
        "the send state records a recipient as typed: the same reader mailed again in another case",
    ),
    Bug(
        "facets-characters",
        "generator/outputs/bluesky_facets.py",
        'return len(text[:index].encode("utf-8"))',
        "return index",
        "Bluesky facets indexed in characters, not UTF-8 bytes",
    ),
    Bug(
        "hub-note-limit",
        "generator/sources/hf_sync.py",
        "room = NOTE_LIMIT - len(url) - 3",
        "room = NOTE_LIMIT - len(url)",
        "a Hub note's title is cut without room for the ' · ' before the URL",
    ),
    Bug(
        "policy-404",
        "generator/mkdocs/plugin.py",
        'if self.serving or not template_name.endswith(".html"):',
        "if True:",
        "404.html carries no Content-Security-Policy",
    ),
    Bug(
        "template-plural",
        "theme/picks-listing.html",
        'pick{{ "" if listing.picks | length == 1 else "s" }}',
        'pick{{ "" if listing.picks | length == 0 else "s" }}',
        "a listing of one pick reads '1 picks'",
    ),
    Bug(
        "worker-unescaped-mark",
        "theme/assets/javascripts/picks-search.js",
        "<mark data-md-highlight>${escapeHTML(match[0])}</mark>",
        "<mark data-md-highlight>${match[0]}</mark>",
        "the search worker marks a matched term without escaping it",
    ),
    Bug(
        "direction-isolates",
        "generator/core/safety.py",
        'DIRECTION_CONTROLS = re.compile("[\\u202a-\\u202e\\u2066-\\u2069]")',
        'DIRECTION_CONTROLS = re.compile("[\\u202a-\\u202e]")',
        "text-direction isolates (U+2066-2069) pass check",
    ),
    Bug(
        "announce-skip-exit",
        "generator/cli/announce.py",
        "skipped: {', '.join(skipped)}\", err=True)\n        sys.exit(1)",
        "skipped: {', '.join(skipped)}\", err=True)",
        "a pick skipped by announce leaves the exit status 0",
    ),
    Bug(
        "mastodon-first-post",
        "generator/sources/mastodon_account.py",
        'if s["in_reply_to_id"] is None and _shown(s["content"]) == wanted',
        'if s["in_reply_to_id"] is None and first_text.split("🔗 ")[-1].split()[0] in s["content"]',
        "a Mastodon post that links the pick's page is taken for its first post",
    ),
    Bug(
        "tex-double-caret",
        "generator/outputs/tex_math.py",
        'if i >= len(tokens) or tokens[i] in ("}", "^", "_"):',
        'if i >= len(tokens) or tokens[i] in ("}",):',
        "title math keeps ^^ (TeX's encoding of any character)",
    ),
    Bug(
        "ascii-digits",
        "generator/core/loader.py",
        r'FILE_NAME = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})-',
        r'FILE_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-',
        "a file name's date may be written in fullwidth digits",
    ),
    Bug(
        "digest-feed-running",
        "generator/mkdocs/plugin.py",
        "for listing in self._closed(self.site.digests)[: self.config.feed.limit]",
        "for listing in self.site.digests[: self.config.feed.limit]",
        "the digest feed holds the running, unfinished period",
    ),
]


def run(bug: Bug, clone: Path) -> tuple[bool, float, str]:
    """Put the bug in the clone, run the suite with -x, take it out: (caught, seconds, the failing test)."""
    path = clone / bug.path
    original = path.read_text("utf-8")
    assert original.count(bug.old) == 1 or bug.name == "none", f"{bug.name}: the code it changes is not there once"
    path.write_text(original.replace(bug.old, bug.new), "utf-8")
    started = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(clone), "DAILY_PICKS_CI": "1"}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-x", "-q", "-n", "2", "-p", "no:cacheprovider", "tests"],
            cwd=clone,
            capture_output=True,
            encoding="utf-8",
            env=env,
            check=False,
        )
    finally:
        path.write_text(original, "utf-8")
    failed = next((line.split()[1] for line in result.stdout.splitlines() if line.startswith("FAILED ")), "")
    return result.returncode != 0, time.monotonic() - started, failed


def main(names: list[str]) -> None:
    chosen = [bug for bug in BUGS if not names or bug.name in names]
    with tempfile.TemporaryDirectory() as folder:
        clone = Path(folder) / "tree"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        if (ROOT / "node_modules").exists():
            (clone / "node_modules").symlink_to(ROOT / "node_modules")
        clean = Bug("none", "README.md", "# ", "# ", "")
        passed, seconds, failed = run(clean, clone)
        if passed:  # run() says "caught" when the suite fails: without a bug it must not
            sys.exit(f"the suite fails without any bug ({failed}): an audit would count that failure as a catch")
        print(f"the suite passes without a bug in {seconds:.0f} s", flush=True)
        rows = []
        for bug in chosen:
            caught, seconds, failed = run(bug, clone)
            print(f"{bug.name}: {'caught' if caught else 'MISSED'} in {seconds:.0f} s {failed}", flush=True)
            rows.append(
                f"| {bug.name} | `{bug.path}` | {bug.what} | {'caught' if caught else '**missed**'} | "
                f"{failed.split('::')[-1] if failed else ''} |"
            )
    caught = sum("| caught |" in row for row in rows)
    report = [
        "# Hand audit (bench/audit.py)",
        "",
        f"{caught}/{len(rows)} realistic bugs caught by `pytest -x` over the whole suite, each put in alone.",
        "",
        "| bug | where | what a user would see | suite | first failing test |",
        "|---|---|---|---|---|",
        *rows,
        "",
    ]
    if not names:
        (ROOT / "bench" / "AUDIT.md").write_text("\n".join(report), "utf-8")
    print("\n".join(report))


if __name__ == "__main__":
    main(sys.argv[1:])
