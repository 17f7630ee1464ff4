"""A paper's citations from OpenAlex's works API (``PICKS_OPENALEX_API``), in its polite pool (``mailto``)."""

from __future__ import annotations

import os
from urllib.parse import quote

from ..core.afterword import CITING_LIMIT, Citations, CitingWork
from ..core.model import Paper
from .replies import Reader

OPENALEX_API = "https://api.openalex.org"  # docs.openalex.org: no key; 100,000 requests a day, 10 a second
SPACING = 0.1  # seconds between requests: OpenAlex's 10 a second


def doi_of(paper: Paper) -> str | None:
    """The DOI OpenAlex knows the paper by: its own, else arXiv's (10.48550/arXiv.<id>, DataCite's for arXiv)."""
    if paper.doi:
        return paper.doi.lower()
    if paper.arxiv_base:
        return f"10.48550/arxiv.{paper.arxiv_base}".lower()
    return None


def citations(reader: Reader, paper: Paper, mailto: str) -> Citations | None:
    """The paper's work, its ``cited_by_count`` and the newest works citing it; None when OpenAlex has no work
    for it (404). Two requests: the work by DOI (``/works/doi:…``), then ``/works?filter=cites:W…``."""
    base = (os.environ.get("PICKS_OPENALEX_API") or OPENALEX_API).rstrip("/")
    doi = doi_of(paper)
    if doi is None:
        return None
    polite = {"mailto": mailto} if mailto else {}
    work = reader.get(f"{base}/works/doi:{quote(doi, safe='/')}", polite, missing=(404,))
    if not isinstance(work, dict) or not isinstance(work.get("id"), str):
        return None
    short = work["id"].rsplit("/", 1)[-1]
    params = {"filter": f"cites:{short}", "sort": "publication_date:desc", "per-page": str(CITING_LIMIT), **polite}
    listing = reader.get(f"{base}/works", params)
    results = listing.get("results", []) if isinstance(listing, dict) else []
    citing = [
        CitingWork(
            str(item["id"]),
            " ".join(str(item.get("display_name") or item.get("title") or "Untitled").split())[:500],
            str(item.get("publication_date") or ""),
            str(item.get("doi") or item["id"]),
        )
        for item in results
        if isinstance(item, dict) and isinstance(item.get("id"), str)
    ]
    return Citations(str(work["id"]), int(work.get("cited_by_count") or 0), citing)
