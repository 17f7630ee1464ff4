"""tests/matrix.yml names a test for every cell of issue 37's matrix: each command in a non-UTC zone, with two
collections and non-ASCII text, each option on and off, each config key and front-matter switch at its default and
set. A command, option or key added without its tests fails here; so does a cell naming a test that is gone."""

from __future__ import annotations

import re
from pathlib import Path

import click
import mkdocs.config.config_options as c
import pytest
import yaml

from generator.cli import main
from generator.core.schema import PICK_FIELDS
from generator.mkdocs.config import CollectionConfig, PicksConfig

TESTS = Path(__file__).parent
MATRIX = yaml.safe_load((TESTS / "matrix.yml").read_text("utf-8"))
CONFIGURATIONS = ("time zone", "collections", "non-ASCII")


def _commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    context = click.Context(group)
    found: dict[str, click.Command] = {}
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if isinstance(command, click.Group):
            found |= _commands(command, f"{prefix}{name} ")
        else:
            found[prefix + name] = command
    return found


def _cells(command: click.Command) -> list[str]:
    """The cells a command needs: the three configurations, then each parameter given and left out."""
    cells = list(CONFIGURATIONS)
    for param in command.params:
        if isinstance(param, click.Argument):
            cells += [] if param.required else [f"{param.name.upper()} given", f"{param.name.upper()} left out"]
            continue
        flag = max(param.opts, key=len)
        if flag == "--config-file":
            cells.append(flag)
        elif isinstance(param.type, click.Choice):
            cells += [f"{flag} {choice}" for choice in param.type.choices]
        else:
            cells += [flag] if param.required else [flag, f"without {flag}"]
    return cells


def _config_keys(config: type, prefix: str = "") -> list[str]:
    keys = []
    for key, option in config._schema:
        if isinstance(option, c.SubConfig):
            keys += _config_keys(option.config_class, f"{prefix}{key}.")
        else:
            keys.append(prefix + key)
    return keys


def _exists(reference: str) -> bool:
    if reference.startswith("n/a: "):
        return True
    found = re.fullmatch(r"(test_\w+\.py)::(test_\w+)", reference)
    return bool(found) and (TESTS / found[1]).is_file() and f"def {found[2]}(" in (TESTS / found[1]).read_text("utf-8")


@pytest.mark.parametrize("name", sorted(_commands(main)))
def test_every_command_has_every_cell(name: str) -> None:
    cells = MATRIX["commands"].get(name) or {}
    assert [cell for cell in _cells(_commands(main)[name]) if cell not in cells] == []


def test_every_config_key_and_switch_has_its_default_and_its_opposite() -> None:
    keys = _config_keys(PicksConfig) + [f"collections.*.{key}" for key, _ in CollectionConfig._schema]
    assert [key for key in keys if key not in MATRIX["config"]] == []
    switches = [field.name for field in PICK_FIELDS if field.kind == "boolean"]
    assert switches and [name for name in switches if name not in MATRIX["front matter"]] == []
    for pair in [*MATRIX["config"].values(), *MATRIX["front matter"].values()]:
        assert len(pair) == 2  # [the default, set otherwise]


def test_every_test_named_exists() -> None:
    named = [ref for cells in MATRIX["commands"].values() for ref in cells.values()]
    named += [ref for section in ("config", "front matter") for pair in MATRIX[section].values() for ref in pair]
    assert [ref for ref in named if not _exists(ref)] == []
