"""``picks check --online``: each paper's title, authors and year compared with arXiv or Crossref, answers cached."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import unicodedata
from pathlib import Path

from ..core.errors import PickError
from ..core.loader import display_path
from ..core.model import Paper, Pick, arxiv_version, split_name
from ..core.paper_ids import PaperRef
from .metadata import MetadataClient, PaperMetadata

CACHE = Path(".cache") / "picks"


def paper_ref(paper: Paper) -> PaperRef | None:
    """What to ask the APIs about: the arXiv id as written, else the DOI."""
    if paper.arxiv:
        return PaperRef("arxiv", paper.arxiv)
    return PaperRef("doi", paper.doi) if paper.doi else None


class MetadataCache:
    """One JSON file per paper under ``.cache/picks/``: a second run asks nothing."""

    def __init__(self, folder: Path = CACHE) -> None:
        self.folder = folder

    def _path(self, ref: PaperRef) -> Path:
        digest = hashlib.sha256(ref.value.lower().encode("utf-8")).hexdigest()[:24]
        return self.folder / ref.kind / f"{digest}.json"

    def get(self, ref: PaperRef) -> PaperMetadata | None:
        try:
            data = json.loads(self._path(ref).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if data.get("ref") != [ref.kind, ref.value]:
            return None
        data["ref"] = ref
        data["authors"] = tuple(data["authors"])
        return PaperMetadata(**data)

    def put(self, meta: PaperMetadata) -> None:
        path = self._path(meta.ref)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = dataclasses.asdict(meta) | {"ref": [meta.ref.kind, meta.ref.value]}
        path.write_text(json.dumps(data, ensure_ascii=False, sort_keys=True), "utf-8")


def lookup(
    refs: list[PaperRef], client: MetadataClient, cache: MetadataCache, *, refresh: bool = False
) -> tuple[dict[PaperRef, PaperMetadata], list[PaperRef]]:
    """Metadata for every ref (cache first unless ``refresh``), and the refs the APIs do not know."""
    found = {} if refresh else {r: m for r in refs if (m := cache.get(r)) is not None}
    wanted = [r for r in dict.fromkeys(refs) if r not in found]
    if not wanted:
        return found, []
    fetched, unknown = client.fetch_known(wanted)
    for meta in fetched.values():
        cache.put(meta)
    return found | fetched, unknown


def compare(picks: list[Pick], found: dict[PaperRef, PaperMetadata], unknown: list[PaperRef]) -> list[PickError]:
    """Warnings where a pick disagrees with its API, and a note where arXiv has a newer version."""
    findings = []
    for pick in picks:
        shown = display_path(pick.source)
        for index, paper in enumerate(pick.papers):
            ref = paper_ref(paper)
            where = f"papers[{index}]"
            if ref in unknown:
                api = "arXiv" if ref.kind == "arxiv" else "Crossref"
                findings.append(
                    PickError(
                        shown, paper.line_of(ref.kind), f"{where}.{ref.kind}", f"{api} does not know this id", "warning"
                    )
                )
            if ref is None or ref not in found:
                continue
            findings += [
                PickError(shown, paper.line_of(name), f"{where}.{name}", message, severity)
                for name, message, severity in _differences(paper, found[ref])
            ]
    return findings


def _differences(paper: Paper, meta: PaperMetadata) -> list[tuple[str, str, str]]:
    api = "arXiv" if meta.ref.kind == "arxiv" else "Crossref"
    out = []
    if _folded(paper.title) != _folded(meta.title):
        out.append(("title", f"{api} says the title is '{meta.title}'", "warning"))
    ours = [_folded(split_name(a)[0]) for a in paper.authors]
    theirs = [_folded(split_name(a)[0]) for a in meta.authors]
    if ours != theirs:
        listed = ", ".join(meta.authors)
        out.append(("authors", f"{api} lists {len(meta.authors)} authors: {listed}", "warning"))
    if paper.year != meta.year:
        out.append(("year", f"{api} says {meta.year}", "warning"))
    cited = arxiv_version(paper.arxiv)[1] if paper.arxiv else None
    if cited and meta.latest_version and meta.latest_version > cited:
        out.append(("arxiv", f"arXiv has a newer version, v{meta.latest_version}", "note"))
    return out


def _folded(text: str) -> str:
    """Lowercase ASCII letters and digits only: accents, case, punctuation and spacing never count."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^0-9a-z]+", "", kept.casefold())
