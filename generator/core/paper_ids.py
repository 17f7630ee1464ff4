"""What an author pastes to name a paper (ids, arXiv/Hugging Face/alphaxiv/doi.org URLs) as an arXiv id or a DOI."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote, urlsplit

from .schema import ARXIV_PATTERN, DOI_PATTERN

_ARXIV = re.compile(ARXIV_PATTERN)
_DOI = re.compile(DOI_PATTERN)
# Hosts whose URL path ends in an arXiv id: arxiv.org/abs|pdf|html/<id>, huggingface.co/papers/<id>, alphaxiv.
_ARXIV_HOSTS = ("arxiv.org", "www.arxiv.org", "export.arxiv.org", "huggingface.co", "alphaxiv.org", "www.alphaxiv.org")
_ARXIV_PATH = re.compile(r"^/(?:abs|pdf|html|papers|overview)/(.+?)(?:\.pdf)?/?$")
_DOI_HOSTS = ("doi.org", "dx.doi.org", "www.doi.org")


@dataclass(frozen=True)
class PaperRef:
    """A paper as the APIs know it: ``arxiv`` with an id (version kept if given) or ``doi``."""

    kind: Literal["arxiv", "doi"]
    value: str


class NotAPaperId(ValueError):
    """The text names no paper we can look up; the message says what is accepted."""


ACCEPTED = (
    "an arXiv id (2404.07129, 2404.07129v2, hep-th/9711200), an arXiv abs/pdf/html URL, "
    "huggingface.co/papers/<id>, an alphaxiv URL, a DOI (10.NNNN/...) or a doi.org URL"
)


def parse_paper_ref(text: str) -> PaperRef:
    """The paper a pasted id or URL names; NotAPaperId otherwise."""
    text = text.strip()
    if text.lower().startswith("arxiv:"):
        text = text[len("arxiv:") :]
    if text.lower().startswith("doi:"):
        text = text[len("doi:") :].strip()
    if _ARXIV.match(text):
        return PaperRef("arxiv", text)
    if _DOI.match(text):
        return PaperRef("doi", text)
    parts = urlsplit(text if "://" in text else f"https://{text}")
    host = (parts.hostname or "").lower()
    if host in _ARXIV_HOSTS and (match := _ARXIV_PATH.match(parts.path)) and _ARXIV.match(match[1]):
        return PaperRef("arxiv", match[1])
    if host in _DOI_HOSTS and _DOI.match(doi := unquote(parts.path.lstrip("/"))):
        return PaperRef("doi", doi)
    raise NotAPaperId(f"'{text}' is not {ACCEPTED}")


# What an author types for an id, valid or not: "2406.117", "arxiv:2406.1171", "10.1234", an arXiv or doi.org URL.
_ID_SHAPED = re.compile(
    r"^(?:arxiv:|doi:)?(?:[0-9]{4}\.[0-9]*(?:v[0-9]+)?|10\.\S*|[a-z-]+(?:\.[A-Z]{2})?/[0-9]+)$|(?:arxiv\.org|doi\.org)/",
    re.IGNORECASE,
)


def id_shaped(text: str) -> bool:
    """Whether text is shaped like a paper id or an id URL, valid or not (a mistyped id, not a title)."""
    return _ID_SHAPED.search(text.strip()) is not None


_NEW_STYLE = re.compile(r"^([0-9]{2})([0-9]{2})\.[0-9]{4,5}(v[0-9]+)?$")


def arxiv_year(arxiv_id: str) -> int | None:
    """The year a new-style arXiv id encodes (its first version's: 2406.11717 → 2024); None for old-style ids."""
    found = _NEW_STYLE.match(arxiv_id)
    return 2000 + int(found.group(1)) if found else None


def earliest_year(arxiv_id: str) -> int | None:
    """The earliest year a paper with this id can be from: a January id may have been submitted on 31 December,
    after the month's last deadline (2401.00001 can be a 2023 paper)."""
    year = arxiv_year(arxiv_id)
    return None if year is None else year - (1 if arxiv_id[2:4] == "01" else 0)
