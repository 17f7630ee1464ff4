"""Shared fixtures: pick text, throw-away MkDocs projects and real builds."""

from __future__ import annotations

import functools
import gzip
import json
import os
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from socketserver import BaseRequestHandler

import pytest
import yaml
from hypothesis import settings

from generator.mkdocs.pages import site_nav

# CI runs the same examples every time (a failure there is reproducible, never a coin toss); a developer's run
# draws new ones; a bug they find gets its own test beside the property (tests/test_untrusted_classes.py).
settings.register_profile("ci", derandomize=True)
if os.environ.get("DAILY_PICKS_CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent


def subprocess_env() -> dict[str, str]:
    """The environment of a build a test starts: this tree's generator first on the path, the same as the
    installed one except under `make mutate`, which runs the tests in a mutated copy (mutants/) and names the
    mutant in MUTANT_UNDER_TEST. Its "stats" pass records coverage in-process only, so the build runs plain."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    if env.get("MUTANT_UNDER_TEST") == "stats":
        del env["MUTANT_UNDER_TEST"]
    return env


# Under `make mutate`, tests that took longer than this in mutmut's stats pass (the real builds in a subprocess)
# are left out of each mutant's run: with them a mutant of the loader costs 23 s, without them 9.
MUTANT_TEST_SECONDS = 1.5


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `make mutate`, a mutant's tests run fastest first (mutmut hands them over unordered and stops at the
    first failure), so a killed mutant costs its quickest killing test; the slow ones run only if nothing else
    covers the mutant."""
    if os.environ.get("MUTANT_UNDER_TEST") in (None, "", "stats", "mutant_generation", "fail"):
        return
    from mutmut.state import state

    durations = state().duration_by_test
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
    slow = [item for item in items if durations.get(item.nodeid, 0.0) > MUTANT_TEST_SECONDS]
    if slow and len(slow) < len(items):
        config.hook.pytest_deselected(items=slow)
        del items[len(items) - len(slow) :]


SAMPLE_PICKS = Path(__file__).parent / "fixtures" / "sample-picks"  # a frozen copy: picks/ grows with every PR

VALID_PICK = """\
---
title: What needs to go right for an induction head?
date: 2024-04-11
tags: [induction heads, training dynamics]
mentions: ["@aadityasingh"]
papers:
  - title: What needs to go right for an induction head?
    authors: [Aaditya K. Singh, Ted Moskovitz]
    year: 2024
    arxiv: "2404.07129"
    venue: ICML 2024
---

Clamping parts of a network during training shows how induction heads form.

Notable findings:

- Induction heads are additive and redundant.
"""


def pick_text(
    title: str = "A pick",
    date: str = "2024-04-11",
    *,
    arxiv: str = "2404.07129",
    tags: list[str] | None = None,
    extra: str = "",
    body: str = "A summary paragraph.\n",
    paper_title: str | None = None,
    authors: str = "[Ada Lovelace, Alan Turing]",
) -> str:
    """A valid pick file; tests vary one thing at a time."""
    tag_line = f"tags: [{', '.join(tags)}]\n" if tags else ""
    return (
        f"---\ntitle: {yaml_quote(title)}\ndate: {date}\n{tag_line}{extra}papers:\n"
        f"  - title: {yaml_quote(paper_title or title)}\n    authors: {authors}\n    year: 2024\n"
        f'    arxiv: "{arxiv}"\n---\n\n{body}'
    )


def yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_picks(folder: Path, picks: dict[str, str]) -> None:
    for name, text in picks.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


# The Markdown extensions of the repository's mkdocs.yml.
EXTENSIONS = ["admonition", "attr_list", "md_in_html", "pymdownx.highlight", "pymdownx.superfences"]


def write_project(
    root: Path,
    picks: dict[str, str],
    site_url: str | None = "https://example.org/picks/",
    markdown_extensions: list[str] | None = None,
    **options: object,
) -> Path:
    """Write a MkDocs project using the real theme/ overrides under ``root``; return its mkdocs.yml."""
    write_picks(root / "picks", picks)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "about.md").write_text("# About\n\nA test site.\n", encoding="utf-8")
    plugin: dict[str, object] = {
        "dir": "picks",
        "default_collection": "interpretability",
        "collections": {"interpretability": {"title": "Interpretability & Analysis of LMs"}},
    }
    plugin.update(options)
    config: dict[str, object] = {
        "site_name": "Test Picks",
        "docs_dir": "docs",
        "theme": {
            "name": "material",
            "custom_dir": str(ROOT / "theme"),
            "font": False,
            "features": ["content.code.copy"],
        },
        "nav": [*site_nav(), {"About": "about.md"}],
        "plugins": ["search", {"picks": plugin}],
    }
    if site_url is not None:
        config["site_url"] = site_url
    if markdown_extensions:
        config["markdown_extensions"] = markdown_extensions
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Path]:
    """``write_project`` in this test's own folder."""
    return lambda picks, **kwargs: write_project(tmp_path, picks, **kwargs)


def mkdocs_build(config_file: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run the real ``mkdocs build --strict`` on a project."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), *extra],
        capture_output=True,
        encoding="utf-8",
        cwd=config_file.parent,
        check=False,
        env=subprocess_env(),
    )


@pytest.fixture
def build() -> Callable[..., Path]:
    """Build a project; fail the test with MkDocs' output if the build fails. Returns site/."""

    def run(config_file: Path) -> Path:
        result = mkdocs_build(config_file)
        assert result.returncode == 0, result.stderr
        return config_file.parent / "site"

    return run


def dedent(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def assert_matches_golden(golden: Path, actual: bytes) -> None:
    """``actual`` equals the golden file; ``UPDATE_GOLDEN=1`` rewrites it and fails, and is refused under CI."""
    if os.environ.get("UPDATE_GOLDEN"):
        if os.environ.get("CI") or os.environ.get("DAILY_PICKS_CI"):
            pytest.fail("UPDATE_GOLDEN is refused under CI: goldens are rewritten on a developer's machine")
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(actual)
        pytest.fail(f"rewrote {golden.name}; review `git diff` and run again without UPDATE_GOLDEN")
    assert actual == golden.read_bytes(), f"{golden.name} differs (UPDATE_GOLDEN=1 rewrites it on purpose)"


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_executable() -> str | None:
    """$PICKS_CHROMIUM, else the usual names on PATH, else Debian's /usr/bin/chromium; None when there is none."""
    if found := os.environ.get("PICKS_CHROMIUM"):
        return found
    for name in ("chromium", "google-chrome", "google-chrome-stable"):
        if path := shutil.which(name):
            return path
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def require_chromium() -> str:
    """The browser, or a skip outside CI and a failure under CI (where .ci/run installs it)."""
    path = chromium_executable()
    if path is None:
        if os.environ.get("DAILY_PICKS_CI") or os.environ.get("CI"):
            pytest.fail("CI must provide Chromium (.ci/run installs Debian's; or set PICKS_CHROMIUM)", pytrace=False)
        pytest.skip("Chromium is not installed here (apt-get install chromium, or set PICKS_CHROMIUM)")
    return path


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class JsonServiceHandler(BaseHTTPRequestHandler):
    """What the web-API stand-ins (fake_hub, fake_mastodon, fake_pds) share: quiet, JSON in and out."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_json(self, status: int, body: object, headers: dict[str, str]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def read_body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))


def serve_on_localhost(handler: Callable[..., BaseRequestHandler]) -> Iterator[str]:
    """Run an HTTP handler on 127.0.0.1 in a thread; yields the base URL (with a trailing /)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.block_on_close = False  # a stand-in made to stall must not hold the test's teardown
    # serve_forever checks for shutdown every poll_interval (0.5 s by default): each test's teardown waited that.
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def serve_folder(folder: Path) -> Iterator[str]:
    """Serve a built site on 127.0.0.1; yields its base URL."""
    yield from serve_on_localhost(functools.partial(_QuietHandler, directory=str(folder)))


def pagefind_records(site: Path) -> dict[str, dict]:
    """What the built site's Pagefind index holds, by page URL: each fragment's text and meta, read from disk."""
    found = {}
    for path in sorted((site / "pagefind" / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        record = json.loads(data[len(b"pagefind_dcd") :])
        found[record["meta"]["url"]] = record
    return found


def free_port() -> int:
    """A port nothing listens on now (for servers that need it before they start, and refused connections)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chromium():
    """A headless Chromium driven by Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    executable = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def serious_axe_violations(page) -> list[str]:
    """axe-core (pinned in package.json, installed by make test) on WCAG 2 A/AA rules: the serious and critical
    violations of what the page shows now. The page's context needs ``bypass_csp``: axe runs as an inline script."""
    if not AXE.exists():
        if os.environ.get("DAILY_PICKS_CI") or os.environ.get("CI"):
            pytest.fail("axe-core is missing: make test runs npm ci", pytrace=False)
        pytest.skip("axe-core not installed (npm ci)")
    page.evaluate(AXE.read_text("utf-8"))
    return page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa']})).violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))"
    )


def type_search(page, url: str, query: str, *, key: str = "/") -> None:
    """Open ``url`` and type ``query`` into Material's search box, opened with its keyboard shortcut."""
    page.goto(url)
    page.keyboard.press(key)
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.insert_text(query)  # any script, as an input method would
    page.keyboard.press("End")  # Material reads the box on keyup


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches the internet: the paper APIs point at a closed port unless a test serves them itself."""
    monkeypatch.setenv("PICKS_ARXIV_API", "http://127.0.0.1:9/api/query")
    monkeypatch.setenv("PICKS_CROSSREF_API", "http://127.0.0.1:9/crossref")


@pytest.fixture
def apis(monkeypatch: pytest.MonkeyPatch):
    """arXiv and Crossref as real HTTP servers on 127.0.0.1, wired through the environment."""
    from fake_apis import sample_apis, serve_apis

    for served in serve_apis(sample_apis()):
        monkeypatch.setenv("PICKS_ARXIV_API", served.arxiv_api)
        monkeypatch.setenv("PICKS_CROSSREF_API", served.crossref_api)
        yield served


def load_one_pick(text: str, name: str = "2024-04-11-x.md"):
    """One pick file's Pick, loaded with the default settings."""
    import tempfile

    from generator.core.loader import LoadSettings, load_picks

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_text(text, "utf-8")
        [pick] = load_picks(Path(folder), LoadSettings("UTC", "picks")).picks
    return pick
