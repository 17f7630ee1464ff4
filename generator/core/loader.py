"""Read every pick file under a folder into validated, ordered ``Pick`` records."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from .body import BodyRenderer
from .errors import Invalid, PickError
from .fields import check_fields
from .frontmatter import Mapping, Scalar, Sequence, cut_by_comment, split
from .limits import body_limits, front_limits, long_lines, read_pick_file
from .mentions import mention_problem, unlisted_handles
from .model import Paper, Pick, tag_problem
from .mojibake import mojibake_warning
from .paper_ids import earliest_year
from .post_links import is_post_link
from .preview import preview_differences
from .safety import control_character
from .schema import (
    PAPER_FIELDS,
    PAPER_IDS,
    PICK_FIELDS,
    PLACEHOLDER_PATTERN,
)

Order = Literal["newest-first", "oldest-first"]

FILE_NAME = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
_PLACEHOLDER = re.compile(PLACEHOLDER_PATTERN)
ID_LIMIT = 100
_YAML_NUMBER = re.compile(r"^[0-9]+\.[0-9]+$")
_FORMATS = {spec.name: (re.compile(spec.pattern), spec.hint) for spec in PAPER_FIELDS if spec.pattern}


@dataclass(frozen=True)
class LoadSettings:
    """What the loader needs from the configuration."""

    timezone: str = "UTC"
    default_collection: str = "picks"
    collections: frozenset[str] | None = None  # None: do not check collection keys
    include_drafts: bool = False  # drafts and scheduled picks too (mkdocs serve, check)
    renderer: BodyRenderer = field(default_factory=BodyRenderer, compare=False)
    now: datetime | None = None  # a pick after it is scheduled: unpublished until then; None: none is


@dataclass
class LoadResult:
    """Picks in (instant, id) order, and every finding about them."""

    picks: list[Pick]
    findings: list[PickError] = field(default_factory=list)
    files: int = 0

    @property
    def errors(self) -> list[PickError]:
        return [f for f in self.findings if f.severity == "error"]


def display_path(path: Path) -> str:
    """The path as an author would type it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # pragma: no cover - another drive on Windows
        return str(path)


def find_pick_files(paths: Iterable[Path]) -> list[Path]:
    """Every ``.md`` under the given folders (or the files themselves), skipping ``_``/``.`` names."""
    found: set[Path] = set()
    for root in paths:
        if root.is_file():
            found.add(root)
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(("_", "."))]
            found.update(Path(dirpath, f) for f in filenames if f.endswith(".md") and not f.startswith(("_", ".")))
    return sorted(found)


def load_picks(paths: Path | Iterable[Path], settings: LoadSettings = LoadSettings()) -> LoadResult:
    """Read, validate and cross-check every pick; never stop at the first problem."""
    given = [paths] if isinstance(paths, Path) else list(paths)
    files = find_pick_files(given)
    roots = [p.resolve() if p.is_dir() else p.resolve().parent for p in given]
    tz = ZoneInfo(settings.timezone)
    picks: list[Pick] = []
    findings: list[PickError] = []
    for path in files:
        problems: list[Invalid] = []
        warnings: list[Invalid] = []
        try:
            pick = _read_pick(path, tz, settings, problems, warnings, roots)
        except Invalid as exc:
            problems.append(Invalid(exc.line, exc.field, exc.message))
            pick = None
        except OSError as exc:
            problems.append(Invalid(1, "file", f"cannot be read: {exc.strerror}"))
            pick = None
        if problems or warnings:
            shown = display_path(path)
            findings.extend(PickError(shown, p.line, p.field, p.message) for p in problems)
            findings.extend(PickError(shown, w.line, w.field, w.message, "warning") for w in warnings)
        if pick is not None and not problems:
            picks.append(pick)
            if pick.scheduled:
                when = pick.instant.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")
                message = f"scheduled for {when}: published nowhere (site, feeds, exports, email, posts) before then"
                findings.append(PickError(display_path(path), pick.lines.get("date", 1), "date", message, "note"))
    settings.renderer.save()
    findings.extend(_cross_check(picks))
    rejected = {f.path for f in findings if f.severity == "error"}
    published = [
        p
        for p in picks
        if (settings.include_drafts or not p.preview_only) and not (rejected and display_path(p.source) in rejected)
    ]
    return LoadResult(sorted(published, key=lambda p: p.sort_key), sorted(findings), len(files))


def order_picks(picks: list[Pick], order: Order) -> list[Pick]:
    """Picks already in (instant, id) order, turned for a listing's toggle."""
    return list(reversed(picks)) if order == "newest-first" else list(picks)


def _read_pick(
    path: Path,
    tz: ZoneInfo,
    settings: LoadSettings,
    problems: list[Invalid],
    warnings: list[Invalid],
    roots: list[Path],
) -> Pick | None:
    document = split(read_pick_file(path, roots))
    for problem in long_lines(document.lines):
        problems.append(Invalid(problem.line, document.field_at(problem.line), problem.message))
    problems.extend(front_limits(document.front_matter))
    for number, text in enumerate(document.lines, start=1):
        if not text.isascii() and (message := mojibake_warning(text)):
            warnings.append(Invalid(number, document.field_at(number), message))
    for number in range(2, document.body_line):
        if " #" in document.lines[number - 1] and cut_by_comment(document.lines[number - 1]):
            message = "YAML reads ' #' and what follows as a comment, so the value stops before it; quote the value"
            warnings.append(Invalid(number, document.field_at(number), message))
    fm = document.front_matter
    name = FILE_NAME.match(path.name)
    name_date = None
    if name and len(path.stem) > ID_LIMIT:
        message = (
            f"'{path.name[:40]}...' is too long: the id (file name without .md) becomes a folder; at most {ID_LIMIT}"
        )
        problems.append(Invalid(1, "file name", message))
    elif not name:
        problems.append(
            Invalid(1, "file name", f"'{path.name}' is not YYYY-MM-DD-slug.md (slug: a-z, 0-9 and single '-')")
        )
    else:
        try:
            name_date = date(*map(int, name.groups()[:3]))
        except ValueError as exc:
            problems.append(Invalid(1, "file name", f"'{path.name}' does not start with a real date: {exc}"))

    values = check_fields(fm, PICK_FIELDS, "", problems)
    instant, local_date = None, None
    if "date" in values:
        instant, local_date = values["date"]
        if instant.tzinfo is None:
            instant = datetime.combine(local_date, time(0), tz)
        instant = instant.astimezone(UTC)
        if name_date and local_date != name_date:
            problems.append(
                Invalid(
                    fm.key_lines["date"],
                    "date",
                    f"{local_date} does not match the date {name_date} in the file name: change one of them, "
                    f"either date: {name_date} or the file name {local_date}-{name.group(4)}.md",
                )
            )
    papers = tuple(_read_papers(values["papers"], problems)) if "papers" in values else ()
    for index, paper in enumerate(papers):
        first = earliest_year(paper.arxiv) if paper.arxiv else None
        if first and paper.year < first:
            message = f"{paper.year} is before {first}, the earliest year of a paper with the arXiv id {paper.arxiv}"
            warnings.append(Invalid(paper.lines.get("year", paper.line), f"papers[{index}].year", message))
        elif first and paper.year > first + 1:
            message = (
                f"{paper.year} is more than a year after {first}, when arXiv {paper.arxiv} was first posted: "
                "a typo, or the year of a later published version?"
            )
            warnings.append(Invalid(paper.lines.get("year", paper.line), f"papers[{index}].year", message))
    for index, tag in enumerate(values.get("tags", ())):
        if problem := tag_problem(tag):
            problems.append(Invalid(fm.items["tags"].items[index].line, f"tags[{index}]", problem))
    body = document.body
    for offset, text in enumerate(body.split("\n") if _PLACEHOLDER.search(body) else ()):
        if _PLACEHOLDER.search(text):
            line = document.body_line + offset
            problems.append(Invalid(line, "body", "still holds the template's placeholder (TODO): write this part"))
    for index, mention in enumerate(values.get("mentions", ())):
        if problem := mention_problem(mention):
            problems.append(Invalid(fm.items["mentions"].items[index].line, f"mentions[{index}]", problem))
    for index, link in enumerate(values.get("announced", ())):
        if not is_post_link(link):
            problems.append(
                Invalid(
                    fm.items["announced"].items[index].line,
                    f"announced[{index}]",
                    f"'{link}' is not a post's "
                    "address: https://bsky.app/profile/<handle>/post/<id> or https://<server>/@<user>/<id>",
                )
            )
    for line, handle in unlisted_handles(body, tuple(values.get("mentions", ()))):
        message = f'{handle} will be plain text in posts, not a mention: add "{handle}" to mentions to credit them'
        warnings.append(Invalid(document.body_line + line - 1, "body", message))
    if over := list(body_limits(body)):  # not rendered: its cost is what the limits bound
        problems.extend(Invalid(document.body_line + line - 1, "body", message) for line, message in over)
        return None
    rendered = settings.renderer.render(body)
    for line, message in preview_differences(body):
        warnings.append(Invalid(document.body_line + line - 1, "body", message))
    for line, message in rendered.problems:
        problems.append(Invalid(document.body_line + line - 1, "body", message))
    if found := control_character(body, references=True):
        problems.append(Invalid(document.body_line + body.count("\n", 0, found[0]), "body", found[1]))
    collection = values.get("collection", settings.default_collection)
    if settings.collections is not None and collection not in settings.collections:
        declared = ", ".join(sorted(settings.collections)) or "none"
        line = fm.key_lines.get("collection", fm.line)
        problems.append(
            Invalid(line, "collection", f"'{collection}' is not declared in the config (declared: {declared})")
        )
    if problems or instant is None or local_date is None or not papers:
        return None
    summary = values.get("summary") or rendered.first_paragraph
    return Pick(
        id=path.stem,
        title=values["title"],
        instant=instant,
        local_date=local_date,
        papers=papers,
        body=body,
        html=rendered.html,
        toc=rendered.toc,
        summary=summary,
        collection=collection,
        tags=tuple(values.get("tags", ())),
        mentions=tuple(values.get("mentions", ())),
        draft=values.get("draft", False),
        announced=tuple(values.get("announced", ())),
        replies=values.get("replies", True),
        scheduled=settings.now is not None and instant > settings.now,
        source=path,
        lines=dict(fm.key_lines),
    )


def _read_papers(node: Sequence, problems: list[Invalid]) -> list[Paper]:
    """The papers of a ``papers`` list that check_fields accepted (fields._papers: a list of at least one)."""
    papers = []
    for index, item in enumerate(node.items):
        where = f"papers[{index}]"
        if not isinstance(item, Mapping):
            problems.append(
                Invalid(item.line, where, "a paper must be a mapping with title, authors, year and arxiv/doi/url")
            )
            continue
        values = check_fields(item, PAPER_FIELDS, where + ".", problems)
        if not any(k in item.items for k in PAPER_IDS):
            problems.append(Invalid(item.line, where, "a paper needs at least one of arxiv, doi or url"))
        written = item.items.get("arxiv")
        if isinstance(written, Scalar) and written.plain and _YAML_NUMBER.match(written.text):
            problems.append(
                Invalid(
                    written.line,
                    f"{where}.arxiv",
                    f'quote the id: arxiv: "{written.text}" (editors and other YAML tools read an unquoted '
                    f"{written.text} as the number {float(written.text)!r})",
                )
            )
        for key, (pattern, complaint) in _FORMATS.items():
            if key in values and not pattern.match(values[key]):
                problems.append(Invalid(item.key_lines[key], f"{where}.{key}", f"'{values[key]}' {complaint}"))
        if {"title", "authors", "year"} <= values.keys():
            fields = {k: values.get(k) for k in ("arxiv", "doi", "url", "venue", "code", "key")}
            papers.append(
                Paper(
                    values["title"],
                    tuple(values["authors"]),
                    values["year"],
                    **fields,
                    line=item.line,
                    lines=dict(item.key_lines),
                )
            )
    return papers


def _cross_check(picks: list[Pick]) -> list[PickError]:
    """Duplicate ids and pinned BibTeX keys are errors; the same paper picked twice is a warning."""
    findings = []
    first_by_id: dict[str, Pick] = {}
    for pick in sorted(picks, key=lambda p: str(p.source)):
        if (first := first_by_id.setdefault(pick.id, pick)) is not pick:
            findings.append(
                PickError(
                    display_path(pick.source),
                    1,
                    "file name",
                    f"the id '{pick.id}' is already used by {display_path(first.source)}",
                )
            )
    first_by_paper: dict[str, Pick] = {}
    for pick in sorted(picks, key=lambda p: p.sort_key):
        for index, paper in enumerate(pick.papers):
            for identity in paper.identities:
                earlier = first_by_paper.setdefault(identity, pick)
                if earlier is not pick:
                    findings.append(
                        PickError(
                            display_path(pick.source),
                            paper.line,
                            f"papers[{index}]",
                            f"this paper ({identity}) was already picked in {earlier.id}",
                            "warning",
                        )
                    )
                    break
    pinned: dict[str, tuple[Pick, Paper]] = {}
    for pick in sorted(picks, key=lambda p: p.sort_key):
        for index, paper in enumerate(pick.papers):
            if not paper.key:
                continue
            other_pick, other = pinned.setdefault(paper.key.lower(), (pick, paper))
            if other is not paper and not set(other.identities) & set(paper.identities):
                findings.append(
                    PickError(
                        display_path(pick.source),
                        paper.line,
                        f"papers[{index}].key",
                        f"the BibTeX key '{paper.key}' is already pinned for another paper in {other_pick.id}",
                    )
                )
    return findings
