"""Wall time per MkDocs build phase and plugin event: ``python bench/phases.py bench/out/1000/ours/mkdocs.yml``."""

from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.plugins import PluginCollection

spent: collections.Counter[str] = collections.Counter()


def _timed(name: str, function, kind=lambda *args: ""):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name + kind(*args)] += time.perf_counter() - started

    return wrapper


def _page_kind(page, *args) -> str:
    return ":pick" if page.file.src_uri.startswith("picks/") else ":other"


def main(config_file: Path) -> None:
    config = load_config(str(config_file))
    config.plugins.on_startup(command="build", dirty=False)
    run_event = PluginCollection.run_event
    PluginCollection.run_event = lambda self, name, *a, **k: _timed(f"event {name}", run_event)(self, name, *a, **k)
    mkdocs_build._populate_page = _timed("read page", mkdocs_build._populate_page, _page_kind)
    mkdocs_build._build_page = _timed("write page", mkdocs_build._build_page, _page_kind)
    started = time.perf_counter()
    mkdocs_build.build(config)
    for name, seconds in spent.most_common(12):
        print(f"{seconds:7.2f} s  {name}")
    print(f"{time.perf_counter() - started:7.2f} s  whole build (pages include the events run inside them)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
