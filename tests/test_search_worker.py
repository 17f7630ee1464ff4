"""The browser-side search worker's own tests (tests/js/, node's test runner over the real file)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from conftest import ROOT


def test_the_search_worker_passes_its_node_tests() -> None:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("DAILY_PICKS_CI") or os.environ.get("CI"):
            pytest.fail("CI must provide Node.js (the search worker's tests run on it)", pytrace=False)
        pytest.skip("Node.js is not installed here")
    run = subprocess.run(
        [node, "--test", str(ROOT / "tests" / "js")], capture_output=True, encoding="utf-8", check=False, cwd=ROOT
    )
    assert run.returncode == 0, run.stdout[-4000:]
    assert "# fail 0" in run.stdout and "# pass 15" in run.stdout
