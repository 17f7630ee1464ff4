"""A build writes into a folder beside ``site/`` and takes its place only once it succeeded."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def serve_folder(site_dir: str) -> bool:
    """Whether MkDocs' own temporary folder is the target (``mkdocs serve --clean`` reports itself as a build)."""
    folder = Path(site_dir).resolve()
    return folder.parent == Path(tempfile.gettempdir()).resolve() and folder.name.startswith("mkdocs_")


class StagedSite:
    """The build's output goes to ``.<site>.building-<pid>``; ``commit`` swaps it in, ``abandon`` deletes it.

    A failed build (an invalid pick found late, a strict-mode warning, a crash in any plugin) therefore never
    touches the previous site: not a file of it is removed or rewritten.
    """

    def __init__(self, target: str) -> None:
        self.target = Path(target)
        self.staging = self.target.with_name(f".{self.target.name}.building-{os.getpid()}")

    def begin(self) -> str:
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        return str(self.staging)

    def commit(self) -> None:
        old = self.target.with_name(f".{self.target.name}.old-{os.getpid()}")
        if self.target.exists():
            self.target.rename(old)
        self.staging.rename(self.target)
        shutil.rmtree(old, ignore_errors=True)

    def abandon(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)
