"""Real HTTP servers on 127.0.0.1 speaking the arXiv API's Atom and Crossref's REST JSON, for offline tests."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

from conftest import serve_on_localhost


@dataclass
class ArxivPaper:
    """One paper as the arXiv API describes it; ``versions`` maps a version number to its date."""

    base: str
    title: str
    authors: list[str]
    versions: dict[int, str]
    summary: str = "An abstract."
    comment: str | None = None
    journal_ref: str | None = None
    doi: str | None = None


@dataclass
class FakeApis:
    """The state and behaviour both servers share; tests change ``mode`` and read ``requests``."""

    arxiv: dict[str, ArxivPaper] = field(default_factory=dict)
    crossref: dict[str, dict] = field(default_factory=dict)
    mode: str = "ok"  # ok | malformed | busy-once | busy | slow | rate-text | broken
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    url: str = ""

    @property
    def arxiv_api(self) -> str:
        return self.url + "api/query"

    @property
    def crossref_api(self) -> str:
        return self.url + "crossref"


def _entry(paper: ArxivPaper, version: int | None) -> str:
    newest = max(paper.versions)
    shown = version or newest
    extras = "".join(
        f"<arxiv:{tag}>{escape(value)}</arxiv:{tag}>"
        for tag, value in (("comment", paper.comment), ("journal_ref", paper.journal_ref), ("doi", paper.doi))
        if value
    )
    authors = "".join(f"<author><name>{escape(name)}</name></author>" for name in paper.authors)
    return (
        f"<entry><id>http://arxiv.org/abs/{paper.base}v{shown}</id>"
        f"<updated>{paper.versions[shown]}T12:00:00Z</updated><published>{paper.versions[1]}T12:00:00Z</published>"
        f"<title>{escape(paper.title)}</title><summary>{escape(paper.summary)}</summary>{authors}{extras}"
        f'<link href="http://arxiv.org/abs/{paper.base}v{shown}" rel="alternate" type="text/html"/></entry>'
    )


_ID = re.compile(r"^(?P<base>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v(?P<v>\d+))?$")


def atom_feed(apis: FakeApis, id_list: str, limit: int = 10) -> str:
    """The arXiv API's answer to ``id_list``: an entry per known id, an Error entry per malformed one."""
    entries = []
    for asked in filter(None, id_list.split(",")):
        match = _ID.match(asked)
        if match is None:
            entries.append(
                f"<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_{escape(asked)}</id>"
                f"<title>Error</title><summary>incorrect id format for {escape(asked)}</summary></entry>"
            )
        elif (paper := apis.arxiv.get(match["base"])) and (not match["v"] or int(match["v"]) in paper.versions):
            entries.append(_entry(paper, int(match["v"]) if match["v"] else None))
    total, entries = len(entries), entries[:limit]
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom" '
        'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
        f"<title>arXiv Query: id_list={escape(id_list)}</title><id>http://arxiv.org/api/x</id>"
        f"<opensearch:totalResults>{total}</opensearch:totalResults>{''.join(entries)}</feed>"
    )


_PHRASE = re.compile(r'^ti:"([^"]+)"$')


def search(apis: FakeApis, query: str) -> list[str] | None:
    """The API user manual's search_query, as far as picks import uses it: ``ti:"phrase"`` terms joined by OR,
    each the papers whose title holds the phrase's words in order (case and punctuation aside); None for a
    query of any other shape, which the fake does not implement."""
    found = []
    for term in query.split(" OR "):
        phrase = _PHRASE.match(term.strip())
        if phrase is None:
            return None
        words = " ".join(re.sub(r"[^\w\s]", " ", phrase[1]).lower().split())
        for paper in apis.arxiv.values():
            if f" {words} " in " " + " ".join(re.sub(r"[^\w\s]", " ", paper.title).lower().split()) + " ":
                found.append(paper.base)
    return list(dict.fromkeys(found))


def _handler(apis: FakeApis) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(self, status: int, body: str, kind: str, headers: dict[str, str] | None = None) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            parts = urlsplit(self.path)
            apis.requests.append((self.path, dict(self.headers)))
            if apis.mode == "slow":
                time.sleep(3)
            if apis.mode == "busy" or (apis.mode == "busy-once" and len(apis.requests) == 1):
                return self._send(503, "busy", "text/plain", {"Retry-After": "1"})
            if apis.mode == "broken":  # an internal error, as any server may answer
                return self._send(500, "Internal Server Error", "text/plain")
            if apis.mode == "rate-text":
                return self._send(429, "Rate exceeded.", "text/plain", {"Retry-After": "120"})
            if parts.path == "/api/query":
                if apis.mode == "malformed":
                    return self._send(200, "<feed><entry>", "application/atom+xml")
                query = parse_qs(parts.query)
                # The API user manual: max_results defaults to 10, whatever id_list holds.
                limit = int(query.get("max_results", ["10"])[0])
                if "search_query" in query:
                    found = search(apis, query["search_query"][0])
                    if found is None:
                        return self._send(400, "malformed query", "text/plain")
                    feed = atom_feed(apis, ",".join(found), limit)
                else:
                    feed = atom_feed(apis, query.get("id_list", [""])[0], limit)
                return self._send(200, feed, "application/atom+xml; charset=utf-8")
            if parts.path.startswith("/crossref/works/"):
                doi = unquote(parts.path[len("/crossref/works/") :])
                if apis.mode == "malformed":
                    return self._send(200, '{"status": "ok", "message": {"title": 3}}', "application/json")
                work = apis.crossref.get(doi.lower())
                if work is None:
                    return self._send(404, "Resource not found.", "text/plain")
                message = json.dumps({"status": "ok", "message-type": "work", "message": work})
                return self._send(200, message, "application/json")
            return self._send(404, "not here", "text/plain")

    return Handler


def serve_apis(apis: FakeApis) -> Iterator[FakeApis]:
    for url in serve_on_localhost(_handler(apis)):
        apis.url = url
        yield apis


SINGH = ArxivPaper(
    "2404.07129",
    "What needs to go right for an induction head? A mechanistic study of in-context learning circuits and\n"
    "  their formation",
    ["Aaditya K. Singh", "Ted Moskovitz", "Felix Hill", "Stephanie C. Y. Chan", "Andrew M. Saxe"],
    {1: "2024-04-10", 2: "2024-06-20"},
    summary="Code: https://github.com/aadityasingh/icl-dynamics.",
    comment="ICML 2024",
)
UNICODE = ArxivPaper(
    "2401.00001",
    'G{\\"o}del, $\\alpha$-heads and\n   line breaks',
    ["Gonçalo Paulo", "Łukasz Kaiser", "李华", "Jörg Müller", "Zoë Ó Briain", "Ana María Pérez"],
    {1: "2023-12-31"},
    comment="Accepted at NeurIPS 2024. 12 pages",
)
OLD_STYLE = ArxivPaper(
    "hep-th/9711200",
    "The Large N Limit of Superconformal Field Theories and Supergravity",
    ["Juan M. Maldacena"],
    {1: "1997-11-27", 3: "1998-01-22"},
    journal_ref="Adv.Theor.Math.Phys.2:231-252,1998",
    doi="10.1023/A:1026654312961",
)
WITHDRAWN = ArxivPaper(
    "2402.00002",
    "A withdrawn result",
    ["Ada Lovelace"],
    {1: "2024-02-01", 2: "2024-02-10"},
    comment="This paper has been withdrawn by the author due to an error in Lemma 2",
)
CROSSREF_WORK = {
    "title": ["Locating and Editing Factual Associations in <i>GPT</i>"],
    "author": [{"given": "Kevin", "family": "Meng"}, {"given": "David", "family": "Bau"}],
    "issued": {"date-parts": [[2022, 12]]},
    "container-title": ["Advances in Neural Information Processing Systems"],
    "DOI": "10.5555/3600270.3601532",
}


def sample_apis() -> FakeApis:
    return FakeApis(
        arxiv={p.base: p for p in (SINGH, UNICODE, OLD_STYLE, WITHDRAWN)},
        crossref={"10.5555/3600270.3601532": CROSSREF_WORK},
    )
