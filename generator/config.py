"""The ``picks`` plugin's options in mkdocs.yml, and reading them without a full build."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import ConfigurationError
from mkdocs.utils.yaml import yaml_load

ORDER_CHOICES = ("newest-first", "oldest-first")


class _Timezone(c.Type):
    def __init__(self, default: str = "UTC") -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        name = super().run_validation(value)
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise c.ValidationError(f"'{name}' is not an IANA time zone (e.g. UTC, Europe/Rome)") from None
        return name


class CollectionConfig(base.Config):
    title = c.Type(str, default="")
    description = c.Type(str, default="")
    order = c.Optional(c.Choice(ORDER_CHOICES))


class FeedConfig(base.Config):
    rss = c.Type(str, default="feed.xml")
    atom = c.Type(str, default="atom.xml")
    json = c.Type(str, default="feed.json")
    limit = c.Type(int, default=50)


class PicksConfig(base.Config):
    dir = c.Type(str, default="picks")
    order = c.Choice(ORDER_CHOICES, default="newest-first")
    per_page = c.Type(int, default=20)
    timezone = _Timezone()
    default_collection = c.Type(str, default="picks")
    collections = c.DictOfItems(c.SubConfig(CollectionConfig), default={})
    feed = c.SubConfig(FeedConfig)
    bibtex = c.Type(str, default="picks.bib")

    def post_validation(self) -> None:
        if self.per_page < 1:
            raise c.ValidationError("Option 'per_page': must be at least 1")
        if self.feed.limit < 1:
            raise c.ValidationError("Option 'feed.limit': must be at least 1")


def collection_keys(config: PicksConfig) -> frozenset[str]:
    """Declared collections; the default one is declared implicitly."""
    return frozenset(config.collections) | {config.default_collection}


def collection_settings(config: PicksConfig) -> dict[str, tuple[str, str, str | None]]:
    """Each collection's (title, description, order or None); the default one is always there."""
    settings = {key: (c.title or key, c.description, c.order) for key, c in config.collections.items()}
    settings.setdefault(config.default_collection, (config.default_collection.title(), "", None))
    return settings


def read_picks_config(config_file: Path) -> tuple[PicksConfig, Path]:
    """The validated ``picks`` options of an mkdocs.yml and the folder it lives in."""
    with open(config_file, "rb") as stream:
        raw = yaml_load(stream) or {}
    options = {}
    for entry in raw.get("plugins") or []:
        if isinstance(entry, dict) and "picks" in entry:
            options = entry["picks"] or {}
    config = PicksConfig(config_file_path=str(config_file))
    config.load_dict(options)
    failed, warnings = config.validate()
    if failed:
        raise ConfigurationError("; ".join(f"plugin 'picks' option '{key}': {error}" for key, error in failed))
    return config, config_file.parent
