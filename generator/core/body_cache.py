"""Rendered bodies kept by content hash under ``.cache/picks/``: a second check or build renders only what changed."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from . import body, literal_tags, safety, sanitize

# Everything a body's HTML depends on besides its text: the renderer's code and allowlist, and the libraries'.
_CODE = hashlib.sha256(
    b"".join(Path(module.__file__).read_bytes() for module in (body, literal_tags, safety, sanitize))
).hexdigest()


_TABLE = "bodies_v1"  # a new layout gets a new table, so an old cache is ignored, never misread
_COLUMNS = ("key TEXT PRIMARY KEY", "html TEXT", "toc TEXT", "problems TEXT", "teaser TEXT")


def _versions() -> str:
    found = []
    for package in ("markdown", "pymdown-extensions", "pygments", "nh3", "python-slugify"):
        try:
            found.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            found.append(f"{package}=none")
    return ";".join(found)


class BodyCache:
    """A SQLite table from a key (body text + renderer settings + code + library versions) to the rendering."""

    def __init__(self, path: Path, settings: object) -> None:
        self.path = path
        self._salt = f"{_CODE}|{_versions()}|{json.dumps(settings, sort_keys=True, default=repr)}"
        self._pending: list[tuple[str, str, str, str, str]] = []
        self._connection: sqlite3.Connection | None = None

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self._salt}|{text}".encode()).hexdigest()

    def _db(self) -> sqlite3.Connection:
        if self._connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(self.path, timeout=10)
            self._connection.execute(f"CREATE TABLE IF NOT EXISTS {_TABLE} ({', '.join(_COLUMNS)})")
        return self._connection

    def get(self, text: str) -> body.RenderedBody | None:
        try:
            query = f"SELECT html, toc, problems, teaser FROM {_TABLE} WHERE key = ?"
            row = self._db().execute(query, (self.key(text),)).fetchone()
        except sqlite3.Error:
            return None  # a broken cache is only slower, never wrong
        if row is None:
            return None
        return body.RenderedBody(row[0], json.loads(row[1]), tuple(tuple(p) for p in json.loads(row[2])), row[3])

    def put(self, text: str, rendered: body.RenderedBody) -> None:
        row = (rendered.html, json.dumps(rendered.toc), json.dumps(rendered.problems), rendered.first_paragraph)
        self._pending.append((self.key(text), *row))

    def save(self) -> None:
        if not self._pending:
            return
        try:
            with self._db() as db:
                db.executemany(f"INSERT OR REPLACE INTO {_TABLE} VALUES (?, ?, ?, ?, ?)", self._pending)
        except sqlite3.Error:
            pass  # the next run renders again
        self._pending = []
