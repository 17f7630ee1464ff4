"""``picks check``: every finding a line (or a GitHub annotation), online comparisons on demand."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..core.authors import likely_variants
from ..core.errors import PickError, count_line
from ..core.listings import pick_folder
from ..core.loader import display_path, find_pick_files
from ..core.model import Pick
from ..core.people import People, load_people
from ..mkdocs.config import ProjectConfig
from ..outputs import key_registry, posts
from ..sources import verify
from ..sources.metadata import MetadataClient, MetadataError
from .common import config_option, load_config, pick_thread, read_picks


def _github_escape(text: str, *, property: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property else text


def _github_line(finding: PickError) -> str:
    props = ",".join(
        f"{k}={_github_escape(str(v), property=True)}"
        for k, v in (("file", finding.path), ("line", finding.line), ("title", finding.field))
    )
    kind = "notice" if finding.severity == "note" else finding.severity
    return f"::{kind} {props}::{_github_escape(finding.message)}"


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["plain", "github"]), default="plain", show_default=True)
@click.option("--online", is_flag=True, help="Also compare papers with arXiv and Crossref (warnings).")
@click.option("--refresh", is_flag=True, help="With --online: ask the APIs again instead of .cache/picks/.")
@config_option
def check(paths: tuple[Path, ...], output: str, online: bool, refresh: bool, config_file: str) -> None:
    """Validate every pick (default: the configured folder)."""
    project = load_config(config_file)
    named = {path.absolute() for path in find_pick_files(paths)}  # absolute, not resolved: a link stays a link
    # Cross-file checks (a paper picked twice, an id or key taken) need every pick, also when files are named:
    # all are read, and what is said of the named files is printed.
    folder = project.root / project.picks.dir
    outside = [path for path in named if not path.is_relative_to(folder.absolute())]
    result = read_picks(project, [folder, *outside], include_drafts=True)
    people, people_findings = load_people(project.root / project.picks.people)
    if paths:
        result.findings = [f for f in result.findings if Path(f.path).absolute() in named]
        result.picks = [pick for pick in result.picks if pick.source.absolute() in named]
        result.files = len(named)
    result.findings = sorted(result.findings + people_findings)
    try:
        registry = key_registry.load(project.root / key_registry.REGISTRY)
    except key_registry.RegistryError as exc:
        registry = {}
        result.findings.append(PickError(display_path(exc.path), exc.line, "registry", exc.message))
    for pick, index, message in key_registry.conflicts(result.picks, registry):
        line = pick.papers[index].lines.get("key", pick.papers[index].line)
        result.findings.append(PickError(display_path(pick.source), line, f"papers[{index}].key", message))
    result.findings = sorted(
        result.findings + _post_findings(project, result.picks, people) + _variants(project, result.picks, people)
    )
    if online:
        result.findings = sorted(result.findings + _online_findings(result.picks, project.root, refresh))
    for finding in result.findings:
        click.echo(_github_line(finding) if output == "github" else str(finding))
    picks = "pick" if result.files == 1 else "picks"
    summary = f"{count_line(result.findings)} in {result.files} {picks}"
    click.echo(summary if output == "plain" else f"::notice::{summary}", err=output == "github")
    sys.exit(1 if any(f.severity == "error" for f in result.findings) else 0)


def _online_findings(picks: list, root: Path, refresh: bool) -> list[PickError]:
    refs = [ref for pick in picks for paper in pick.papers if (ref := verify.paper_ref(paper))]
    client = MetadataClient()
    try:
        found, unknown = verify.lookup(refs, client, verify.MetadataCache(root / verify.CACHE), refresh=refresh)
    except MetadataError as exc:
        click.echo(f"warning: --online: could not compare with the APIs ({exc})", err=True)
        return []
    click.echo(f"--online: {client.requests} request(s) to the APIs, {len(refs)} papers", err=True)
    return verify.compare(picks, found, unknown)


def _post_findings(project: ProjectConfig, picks: list[Pick], people: People) -> list[PickError]:
    """A warning for each network a pick's posts cannot fit (announce skips that pick), at the line of the link
    that is too long, else of the title."""
    found = []
    for pick in picks:
        for network in posts.may_overflow(pick, project.page_url(pick_folder(pick))):
            thread = pick_thread(project, pick, network, people)
            for problem in posts.overlong(thread, network):
                line = _line_of_longest_link(pick, network) or pick.lines.get("title", 1)
                found.append(PickError(display_path(pick.source), line, "body", problem, "warning"))
    return found


def _line_of_longest_link(pick: Pick, network: str) -> int | None:
    lines = pick.source.read_text("utf-8", errors="replace").split("\n")
    links = [(posts.NETWORKS[network].length(link), link) for line in lines for link in posts.URL.findall(line)]
    if not links:
        return None
    longest = max(links)[1]
    return next(number for number, line in enumerate(lines, start=1) if longest in line)


def _variants(project: ProjectConfig, picks: list[Pick], people: People) -> list[PickError]:
    """A warning for each two spellings that look like one person and that people.yml does not merge."""
    found = []
    for name, pick, other, other_pick in likely_variants(picks, people):
        line = pick.papers[0].lines.get("authors", pick.papers[0].line)
        message = (
            f"'{name}' here and '{other}' in {other_pick.id} look like one person; if so, add to "
            f'{project.picks.people}: "{name}": {{names: ["{other}"]}} (if not, nothing to do)'
        )
        found.append(PickError(display_path(pick.source), line, "authors", message, "warning"))
    return found
