"""A real HTTP server on 127.0.0.1 answering the OpenAlex works API as ``picks refresh`` (and pyalex) call it.

Where each behaviour comes from (ourresearch/openalex-docs):
- api-entities/works/get-a-single-work.md: GET /works/<id>, where the id may be an external one such as
  ``doi:10.48550/arxiv.2404.07129``; an unknown work is 404 {"error": "404 Not Found", ...};
- api-entities/works/filter-works.md: ``filter=cites:W…`` lists the works citing W…;
  how-to-use-the-api/get-lists-of-entities/sort-entity-lists.md: ``sort=publication_date:desc``;
  paging.md: ``per-page`` from 1 to 200, {"meta": {"count", "page", "per_page"}, "results": [...]};
  a filter it does not know is 400 {"error": "Invalid query parameters error.", "message": ...};
- how-to-use-the-api/rate-limits-and-authentication.md: 10 requests a second, 100,000 a day, a 429 past them;
  the polite pool is joined with ``mailto=`` (recorded in ``mailtos``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlsplit

from conftest import JsonServiceHandler, serve_on_localhost


@dataclass
class FakeOpenAlex:
    works: dict[str, dict] = field(default_factory=dict)  # W id → work
    dois: dict[str, str] = field(default_factory=dict)  # lower-case DOI → W id
    cites: dict[str, list[str]] = field(default_factory=dict)  # W id → the W ids of works citing it
    quota: int = 100_000
    requests: int = 0
    mailtos: list[str] = field(default_factory=list)
    broken: bool = False  # every answer a 500, as a failing upstream gives
    html_page: bool = False  # every answer a 200 HTML page, as a captive portal or a proxy's error page gives
    agents: list[str] = field(default_factory=list)  # each request's User-Agent
    url: str = ""

    def work(self, short: str, title: str, date: str, *, doi: str | None = None, cited_by: int = 0) -> dict:
        found = {
            "id": f"https://openalex.org/{short}",
            "doi": f"https://doi.org/{doi}" if doi else None,
            "title": title,
            "display_name": title,
            "publication_date": date,
            "publication_year": int(date[:4]),
            "cited_by_count": cited_by,
            "type": "article",
        }
        self.works[short] = found
        if doi:
            self.dois[doi.lower()] = short
        return found


def _handler(alex: FakeOpenAlex) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonServiceHandler):
        def do_GET(self) -> None:  # noqa: N802
            alex.requests += 1
            alex.agents.append(self.headers.get("User-Agent", ""))
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            if "mailto" in query:
                alex.mailtos.append(query["mailto"])
            if alex.requests > alex.quota:
                return self.send_json(429, {"error": "Too Many Requests"}, {"Retry-After": "1"})
            if alex.broken:
                return self.send_json(500, {"error": "Internal Server Error"}, {})
            if alex.html_page:
                page = b"<html><body>Sign in to the network</body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                return self.wfile.write(page)
            path = unquote(parts.path)
            if path.startswith("/works/"):
                key = path[len("/works/") :]
                short = alex.dois.get(key[4:].lower()) if key.startswith("doi:") else key.rsplit("/", 1)[-1]
                if short not in alex.works:
                    return self.send_json(404, {"error": "404 Not Found", "message": f"{key} not found"}, {})
                return self.send_json(200, alex.works[short], {})
            if path == "/works":
                per_page = int(query.get("per-page", "25"))
                if not 1 <= per_page <= 200:
                    return self.send_json(
                        400,
                        {
                            "error": "Invalid query parameters error.",
                            "message": "per-page parameter must be between 1 and 200",
                        },
                        {},
                    )
                found = [alex.works[w] for w in alex.works]
                for term in filter(None, query.get("filter", "").split(",")):
                    name, _, value = term.partition(":")
                    if name == "cites":
                        found = [alex.works[w] for w in alex.cites.get(value.rsplit("/", 1)[-1], [])]
                    elif name == "openalex_id":
                        wanted = {v.rsplit("/", 1)[-1] for v in value.split("|")}
                        found = [w for w in found if w["id"].rsplit("/", 1)[-1] in wanted]
                    else:
                        return self.send_json(
                            400,
                            {"error": "Invalid query parameters error.", "message": f"{name} is not a valid field"},
                            {},
                        )
                if query.get("sort") == "publication_date:desc":
                    found.sort(key=lambda w: w["publication_date"], reverse=True)
                meta = {
                    "count": len(found),
                    "db_response_time_ms": 3,
                    "page": 1,
                    "per_page": per_page,
                    "groups_count": None,
                }
                return self.send_json(200, {"meta": meta, "results": found[:per_page], "group_by": []}, {})
            self.send_json(404, {"error": "404 Not Found"}, {})

    return Handler


def serve_openalex(alex: FakeOpenAlex) -> Iterator[FakeOpenAlex]:
    for url in serve_on_localhost(_handler(alex)):
        alex.url = url.rstrip("/")
        yield alex
