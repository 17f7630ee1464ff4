"""Daily Picks: a daily research-paper newsletter built with MkDocs."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("daily-picks")
except PackageNotFoundError:  # pragma: no cover - running from a source tree that was never installed
    __version__ = "0"
