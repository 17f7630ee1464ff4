"""Papers' metadata from the arXiv API (Atom, one batched request) and Crossref's REST API, endpoints from the env."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import requests
from lxml import etree
from pylatexenc.latex2text import LatexNodes2Text

from .. import __version__
from ..core.model import arxiv_version
from ..core.paper_ids import PaperRef

ARXIV_API = "https://export.arxiv.org/api/query"
CROSSREF_API = "https://api.crossref.org"
USER_AGENT = f"daily-picks/{__version__} (+https://github.com/daily-picks/daily-picks; picks new and check --online)"
BUDGET = 10.0  # seconds of network waiting a command may spend, retries included
ARXIV_SPACING = 3.0  # arXiv's API terms: at most one request every three seconds
ARXIV_BATCH = 100
SEARCH_BATCH = 10  # titles ORed in one search_query

_NS = {"a": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
_ENTRY_ID = re.compile(r"arxiv\.org/abs/(.+)v([0-9]+)$")  # the API names each entry by its version
_GITHUB = re.compile(r"https?://github\.com/[\w.-]+/[\w.-]+[\w-]")
_VENUE = re.compile(
    r"\b(ICML|NeurIPS|NIPS|ICLR|ACL|EMNLP|NAACL|EACL|COLM|COLING|CVPR|ICCV|ECCV|AAAI|IJCAI|TMLR|AISTATS|UAI)"
    r"(?:\s*'?\s*([0-9]{4}))?"
)


@dataclass(frozen=True)
class PaperMetadata:
    """What an API says about one paper, as a pick writes it."""

    ref: PaperRef
    title: str
    authors: tuple[str, ...]
    year: int
    doi: str | None = None
    venue: str | None = None
    code: str | None = None
    latest_version: int | None = None  # arXiv: the newest version there is
    withdrawn: bool = False


class MetadataError(Exception):
    """A lookup that failed, said in one line."""


class Unreachable(MetadataError):
    """No answer: no network, a time-out, or 429/503 after the one retry."""


class UnknownPapers(MetadataError):
    """The API answered but does not know these papers."""

    def __init__(self, refs: list[PaperRef]) -> None:
        super().__init__("unknown to " + ", ".join(f"{r.kind} {r.value}" for r in refs))
        self.refs = refs


class BadResponse(MetadataError):
    """The API answered something that is not its documented format."""


class MetadataClient:
    """Looks papers up; the HTTP session, clock and sleep are injectable so tests run against 127.0.0.1."""

    def __init__(
        self,
        arxiv_api: str | None = None,
        crossref_api: str | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.arxiv_api = arxiv_api or os.environ.get("PICKS_ARXIV_API") or ARXIV_API
        self.crossref_api = (crossref_api or os.environ.get("PICKS_CROSSREF_API") or CROSSREF_API).rstrip("/")
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        self.sleep, self.clock = sleep, clock
        self.requests = 0
        self._last_arxiv: float | None = None

    def fetch(self, refs: list[PaperRef]) -> dict[PaperRef, PaperMetadata]:
        """Every paper's metadata; UnknownPapers if an API does not know one, or another MetadataError."""
        found, unknown = self.fetch_known(refs)
        if unknown:
            raise UnknownPapers(unknown)
        return found

    def fetch_known(self, refs: list[PaperRef]) -> tuple[dict[PaperRef, PaperMetadata], list[PaperRef]]:
        """The metadata of the papers the APIs know, and those they do not: arXiv ids batched, DOIs one by one."""
        deadline = self.clock() + BUDGET
        found: dict[PaperRef, PaperMetadata] = {}
        arxiv = list(dict.fromkeys(r for r in refs if r.kind == "arxiv"))
        for start in range(0, len(arxiv), ARXIV_BATCH):
            found |= self._arxiv(arxiv[start : start + ARXIV_BATCH], deadline)
        for ref in dict.fromkeys(r for r in refs if r.kind == "doi"):
            if (meta := self._crossref(ref, deadline)) is not None:
                found[ref] = meta
        return found, [r for r in dict.fromkeys(refs) if r not in found]

    def search_titles(self, titles: list[str]) -> list[PaperMetadata]:
        """Papers whose title holds one of ``titles`` as a phrase (the API's ``ti:"..."`` search, titles ORed
        in batches): candidates, for the caller to match against what else it knows (the authors)."""
        deadline = self.clock() + BUDGET * max(1, len(titles) // SEARCH_BATCH)
        found: dict[str, PaperMetadata] = {}
        words = [" ".join(re.sub(r"[^\w\s]", " ", t).split()) for t in titles]
        phrases = list(dict.fromkeys(w for w in words if w))
        for start in range(0, len(phrases), SEARCH_BATCH):
            batch = phrases[start : start + SEARCH_BATCH]
            query = " OR ".join(f'ti:"{phrase}"' for phrase in batch)
            entries = self._atom({"search_query": query, "max_results": str(5 * len(batch))}, deadline)
            for arxiv_id, entry in entries.items():
                if arxiv_version(arxiv_id)[1] is None:  # each entry is also under its versioned id
                    found.setdefault(arxiv_id, _from_arxiv(PaperRef("arxiv", arxiv_id), entry, entry))
        return list(found.values())

    def _atom(self, params: dict[str, str], deadline: float) -> dict[str, dict]:
        """One arXiv API request, spaced as its terms ask: its entries by id (see _atom_entries)."""
        if self._last_arxiv is not None and (wait := ARXIV_SPACING - (self.clock() - self._last_arxiv)) > 0:
            self.sleep(wait)
        response = self._get(self.arxiv_api, params, deadline)
        self._last_arxiv = self.clock()
        if response.status_code != 200:
            raise BadResponse(f"arXiv API: HTTP {response.status_code}")
        return _atom_entries(response.content)

    def _get(self, url: str, params: dict[str, str] | None, deadline: float) -> requests.Response:
        for attempt in (1, 2):
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise Unreachable(f"{url}: no answer within {BUDGET:.0f} s")
            try:
                self.requests += 1
                response = self.session.get(url, params=params, timeout=remaining)
            except requests.RequestException as exc:
                raise Unreachable(f"{url}: {type(exc).__name__}") from None
            if response.status_code not in (429, 503):
                return response
            wait = _retry_after(response.headers.get("Retry-After"))
            if attempt == 2 or wait is None or wait > deadline - self.clock():
                raise Unreachable(f"{url}: HTTP {response.status_code} (busy; try again later)")
            self.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _arxiv(self, refs: list[PaperRef], deadline: float) -> dict[PaperRef, PaperMetadata]:
        # Ask for each id as written and, for versioned ones, the base id too: the latter tells the newest version.
        asked = list(dict.fromkeys([r.value for r in refs] + [arxiv_version(r.value)[0] for r in refs]))
        entries = self._atom({"id_list": ",".join(asked), "max_results": str(len(asked))}, deadline)
        out = {}
        for ref in refs:
            written = entries.get(ref.value)  # a version arXiv does not have is unknown, not the newest one
            newest = entries.get(arxiv_version(ref.value)[0])
            if written is not None:
                out[ref] = _from_arxiv(ref, written, newest)
        return out

    def _crossref(self, ref: PaperRef, deadline: float) -> PaperMetadata | None:
        response = self._get(f"{self.crossref_api}/works/{quote(ref.value, safe='/')}", None, deadline)
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise BadResponse(f"Crossref API: HTTP {response.status_code} for {ref.value}")
        try:
            work = response.json()["message"]
            year = _crossref_year(work)
            authors = tuple(
                " ".join(part for part in (a.get("given"), a.get("family")) if part) or a["name"]
                for a in work.get("author", [])
            )
            title = plain_text(_strip_tags(work["title"][0]))
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise BadResponse(
                f"Crossref API: unexpected answer for {ref.value} ({type(exc).__name__}: {exc})"
            ) from None
        venue = (work.get("container-title") or [None])[0]
        return PaperMetadata(ref, title, authors, year, doi=ref.value, venue=venue)


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    if value.strip().isascii() and value.strip().isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _atom_entries(content: bytes) -> dict[str, dict]:
    """Entries by the id they answer (``2404.07129v2``), each also under its base id; errors raise."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        feed = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise BadResponse(f"arXiv API: not an Atom feed ({exc})") from None
    if feed.tag != "{http://www.w3.org/2005/Atom}feed":
        raise BadResponse(f"arXiv API: not an Atom feed (root element {feed.tag})")
    found: dict[str, dict] = {}
    for node in feed.findall("a:entry", _NS):
        # arXiv reports a bad id as an entry titled Error whose id is under /api/errors, not /abs/: skipped here.
        match = _ENTRY_ID.search(node.findtext("a:id", "", _NS).strip())
        title = " ".join(node.findtext("a:title", "", _NS).split())
        if not match or not title:
            continue
        entry = dict(
            version=int(match[2]),
            title=title,
            authors=[" ".join(n.text.split()) for n in node.findall("a:author/a:name", _NS) if n.text],
            published=node.findtext("a:published", "", _NS),
            updated=node.findtext("a:updated", "", _NS),
            doi=node.findtext("arxiv:doi", None, _NS),
            journal_ref=node.findtext("arxiv:journal_ref", None, _NS),
            comment=" ".join(node.findtext("arxiv:comment", "", _NS).split()),
            summary=node.findtext("a:summary", "", _NS),
        )
        found[f"{match[1]}v{match[2]}"] = entry
        if entry["version"] > found.get(match[1], {}).get("version", 0):
            found[match[1]] = entry  # the base id stands for the newest version
    return found


def _from_arxiv(ref: PaperRef, written: dict, newest: dict | None) -> PaperMetadata:
    # A cited version's year is that version's; an unversioned id cites the paper, dated by its first version.
    stamp = written["updated"] if ref.value != arxiv_version(ref.value)[0] else written["published"]
    try:
        year = int(stamp[:4])
    except ValueError:
        raise BadResponse(f"arXiv API: no date for {ref.value}") from None
    if not written["authors"]:
        raise BadResponse(f"arXiv API: no authors for {ref.value}")
    comment = written["comment"]
    code = _GITHUB.search(f"{comment} {written['summary']}")
    venue = written["journal_ref"] and " ".join(written["journal_ref"].split())
    if not venue and (hint := _VENUE.search(comment)):
        venue = " ".join(part for part in hint.groups() if part).replace("NIPS", "NeurIPS")
    return PaperMetadata(
        ref,
        plain_text(written["title"]),
        tuple(plain_text(a) for a in written["authors"]),
        year,
        doi=written["doi"],
        venue=venue or None,
        code=code.group(0) if code else None,  # the pattern ends on a word character: never a full stop
        latest_version=(newest or written)["version"],
        withdrawn="withdrawn" in comment.lower(),
    )


def _crossref_year(work: dict) -> int:
    for key in ("published-print", "published-online", "issued", "created"):
        parts = (work.get(key) or {}).get("date-parts") or [[None]]
        if parts[0] and parts[0][0]:
            return int(parts[0][0])
    raise KeyError("issued")


def plain_text(text: str) -> str:
    """A title or name as text: LaTeX accents and math become Unicode (``G{\\"o}del`` → Gödel), spaces normalised."""
    if "\\" in text or "$" in text or "{" in text:
        text = LatexNodes2Text(math_mode="text").latex_to_text(text)
    return " ".join(text.split())


def _strip_tags(text: str) -> str:
    return re.sub(r"<[^>]+>", "", text)  # Crossref titles carry JATS markup such as <i> and <scp>
