"""The front-matter fields of a pick: one definition for the loader and the JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["string", "integer", "boolean", "date", "strings", "papers"]

# New-style ids are YYMM.NNNN until 2014 and YYMM.NNNNN since 2015; old style is archive/YYMMNNN.
ARXIV_PATTERN = (
    r"^((0[7-9]|1[0-4])(0[1-9]|1[0-2])\.[0-9]{4}|(1[5-9]|[2-9][0-9])(0[1-9]|1[0-2])\.[0-9]{5}"
    r"|[a-z]+(-[a-z]+)*(\.[A-Z]{2})?/[0-9]{7})(v[0-9]+)?$"
)
# Quotes, angle brackets and whitespace end a URL in HTML and Markdown; braces and backslashes end or escape
# a BibTeX field: never part of one here.
DOI_PATTERN = r'^10\.[0-9]{4,9}/[^\s"<>{}\\]+$'
URL_PATTERN = r'^https?://[^\s/?#"<>{}\\]+[^\s"<>{}\\]*$'
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# The word `picks new` leaves where the author still has to write; `picks check` refuses a pick that holds it.
PLACEHOLDER = "TODO"
PLACEHOLDER_PATTERN = r"\bTODO\b"
DATETIME_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})$"


_URL_HINT = "is not an http(s) URL (no spaces, quotes, < >, braces or backslashes inside)"


@dataclass(frozen=True)
class FieldSpec:
    """One front-matter field: its name, kind and whether a pick must have it."""

    name: str
    kind: Kind
    required: bool
    description: str
    pattern: str | None = None
    hint: str = ""  # what the error says after the value when the pattern does not match


PAPER_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "string", True, "The paper's title."),
    FieldSpec("authors", "strings", True, "Authors in paper order, 'Given Family' or 'Family, Given'."),
    FieldSpec("year", "integer", True, "Year of the version cited."),
    FieldSpec(
        "arxiv",
        "string",
        False,
        "arXiv id: 2404.07129, 2404.07129v2 or hep-th/9711200.",
        ARXIV_PATTERN,
        "is not an arXiv id (expected e.g. 2404.07129, 2404.07129v2 or hep-th/9711200)",
    ),
    FieldSpec(
        "doi",
        "string",
        False,
        "DOI, e.g. 10.18653/v1/2023.acl-long.1.",
        DOI_PATTERN,
        "is not a DOI (expected 10.NNNN/..., with no spaces, quotes, < >, braces or backslashes)",
    ),
    FieldSpec("url", "string", False, "Web page of the paper (http or https).", URL_PATTERN, _URL_HINT),
    FieldSpec("venue", "string", False, "Where it appeared, e.g. 'ICML 2024'."),
    FieldSpec("code", "string", False, "Code repository (http or https).", URL_PATTERN, _URL_HINT),
    FieldSpec(
        "key",
        "string",
        False,
        "BibTeX citation key, to pin it by hand.",
        r"^[A-Za-z0-9_:.-]+$",
        "may hold only letters, digits and _:.-",
    ),
)

PICK_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("title", "string", True, "The pick's headline."),
    FieldSpec("date", "date", True, "YYYY-MM-DD, or an ISO 8601 date-time with offset."),
    FieldSpec("papers", "papers", True, "The papers picked (two make an x2 edition)."),
    FieldSpec("tags", "strings", False, "Topics, e.g. 'induction heads'."),
    FieldSpec("collection", "string", False, "A collection key declared in mkdocs.yml."),
    FieldSpec("mentions", "strings", False, "Handles credited, e.g. '@aadityasingh'."),
    FieldSpec("summary", "string", False, "One-line teaser; default: the body's first paragraph."),
    FieldSpec("draft", "boolean", False, "true: shown by mkdocs serve only."),
    FieldSpec("announced", "strings", False, "Links to the pick's first post, for a thread posted by hand."),
    FieldSpec("replies", "boolean", False, "false: the page shows no replies to the pick's posts."),
)

PAPER_IDS = ("arxiv", "doi", "url")
