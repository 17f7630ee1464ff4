"""The allowlist every pick body's HTML passes through (nh3, the Ammonia bindings), and what it would remove."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3
from pygments.token import STANDARD_TYPES
from slugify import slugify

# What a pick needs; CONTRIBUTING.md ("What HTML a pick may use") lists the same.
ALLOWED_TAGS = frozenset(
    {
        *("p", "br", "hr", "div", "span", "blockquote", "pre", "code", "kbd", "samp", "var"),
        *("em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "abbr", "cite", "q", "dfn"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd"),
        *("table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col"),
        *("a", "img", "sup", "sub", "details", "summary", "figure", "figcaption"),
    }
)
# Attribute lists ({: ... }) may set these on any element; nothing else reaches a page.
GLOBAL_ATTRIBUTES = frozenset({"id", "class", "title", "lang"})
TAG_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "th": frozenset({"align", "colspan", "rowspan"}),
    "td": frozenset({"align", "colspan", "rowspan"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "ol": frozenset({"start", "reversed"}),
    "details": frozenset({"open"}),
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Their text is code or markup, never prose: remove it with the tag instead of showing it.
REMOVED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "iframe", "noembed", "noframes", "xmp"})
_URL_ATTRIBUTES = frozenset({"href", "src"})

# Ids and classes a pick sets: a slug alphabet, never the theme's namespace. Material's own ids all start
# with "__" (__config, __drawer, __code_0, __search) and its classes with "md-"; the plugin's with "pick-".
SAFE_ID = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")  # "_": the toc numbers repeated headings (method_1)
RESERVED_PREFIXES = ("md-", "pick-", "picks-")
ID_RULE = "an id is 1-64 characters of a-z, 0-9, _ and -, starts with a letter, and never starts with md- or pick-"
# The classes pick bodies may carry: what the site's Markdown extensions write (admonitions, code highlighting,
# heading permalinks), and nothing of the theme's (md-dialog, md-overlay, mermaid, annotate...).
ADMONITION_KINDS = frozenset(
    [
        "note",
        "abstract",
        "summary",
        "tldr",
        "info",
        "todo",
        "tip",
        "hint",
        "important",
        "success",
        "check",
        "done",
        "question",
        "help",
        "faq",
        "warning",
        "caution",
        "attention",
        "failure",
        "fail",
        "missing",
        "danger",
        "error",
        "bug",
        "example",
        "quote",
        "cite",
    ]
)
ALLOWED_CLASSES = (
    ADMONITION_KINDS
    | {"admonition", "admonition-title", "headerlink", "toclink"}
    | {"highlight", "highlighttable", "linenos", "linenodiv", "filename", "code", "hll", "normal", "special"}
    | {name for name in STANDARD_TYPES.values() if name}
)
_LANGUAGE_CLASS = re.compile(r"^language-[a-z0-9_+#.-]{1,40}$")
CLASS_RULE = "a pick may use the admonition kinds (" + ", ".join(sorted(ADMONITION_KINDS)) + ") as classes"
# Browsers read "//host" and "/\\host" as another origin: such a link is absolute, whatever it looks like.
_OTHER_ORIGIN = re.compile(r"^[\x00-\x20]*[/\\][/\\]")

_ATTRIBUTES = {tag: set(names) for tag, names in TAG_ATTRIBUTES.items()} | {"*": set(GLOBAL_ATTRIBUTES)}
_TAG_NAME = re.compile(r"<\s*/?\s*([A-Za-z][^\s/>]*)")
_CLOSER_NAME = re.compile(r"</\s*([A-Za-z][^\s/>]*)")
_SCHEME = re.compile(r"(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]*):")  # starts at a word's start: linear time
_URL_WHITESPACE = re.compile(r"[\t\n\r]")


def clean(fragment: str) -> str:
    """The fragment with everything outside the allowlist removed: the only HTML of a pick that is ever emitted."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(REMOVED_WITH_CONTENT),
        attributes=_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        strip_comments=True,
        link_rel=None,
        attribute_filter=_filter_attribute,
    )


def safe_id(value: str) -> bool:
    """Whether an id a pick sets is in the slug alphabet and outside the theme's and the plugin's names."""
    return SAFE_ID.match(value) is not None and not value.startswith(RESERVED_PREFIXES)


def heading_slug(text: str, separator: str = "-") -> str:
    """A heading's automatic id: always a safe one, so only an id an author writes can be refused."""
    slug = slugify(text, separator="-", max_length=56, word_boundary=True)
    return slug if safe_id(slug) else f"section-{slug}".rstrip("-")


def safe_class(name: str) -> bool:
    return name in ALLOWED_CLASSES or _LANGUAGE_CLASS.match(name) is not None


def other_origin(url: str) -> bool:
    """A protocol-relative link (``//evil.example/x``): absolute, though it has no scheme."""
    return _OTHER_ORIGIN.match(html.unescape(url)) is not None


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "id":
        return value if safe_id(value) else None
    if name == "class":
        kept = [c for c in value.split() if safe_class(c)]
        return " ".join(kept) if kept else None
    if name in _URL_ATTRIBUTES and other_origin(value):
        return None
    return value


def removals(fragment: str, cleaned: str | None = None) -> list[str]:
    """What ``clean`` would remove or change in the fragment, in words an author can act on; empty when nothing.

    ``cleaned`` is ``clean(fragment)`` when the caller has it already.
    """
    cleaned = clean(fragment) if cleaned is None else cleaned
    # The same parser and serializer with everything allowed: any difference is the allowlist's doing.
    kept = nh3.clean(
        fragment,
        tags=_tag_names(fragment) | ALLOWED_TAGS,  # a fragment never parses into html, head or body elements
        clean_content_tags=set(),
        attributes={"*": set()},
        generic_attribute_prefixes={""},
        url_schemes=_schemes(fragment) | URL_SCHEMES,
        strip_comments=True,
        link_rel=None,
    )
    # An end tag without its start tag vanishes in both parses, silently: named here, as its start tag would be.
    stray = [f"<{name}> is not allowed; {ALLOWED_SUMMARY}" for name in _closer_names(fragment) - ALLOWED_TAGS]
    if kept == cleaned and not stray:
        return []
    explainer = _Explainer()
    explainer.feed(kept)
    explainer.close()
    found = explainer.found + sorted(stray)
    return list(dict.fromkeys(found)) or ["the HTML sanitizer would change this HTML; " + ALLOWED_SUMMARY]


ALLOWED_SUMMARY = (
    "a pick may use paragraphs, emphasis, lists, headings, blockquotes, code, tables, images, links "
    "(http, https, mailto, relative or #), sup/sub and details/summary (CONTRIBUTING.md: What HTML a pick may use)"
)


def _tag_names(fragment: str) -> set[str]:
    return {name.lower() for name in _TAG_NAME.findall(fragment)}


def _closer_names(fragment: str) -> set[str]:
    return {name.lower() for name in _CLOSER_NAME.findall(fragment)}


def _schemes(fragment: str) -> set[str]:
    # Browsers and URL parsers drop tabs and newlines inside a scheme, and read character references first.
    text = _URL_WHITESPACE.sub("", html.unescape(html.unescape(fragment)))
    return {scheme.lower() for scheme in _SCHEME.findall(text)}


def _scheme_of(url: str) -> str | None:
    text = _URL_WHITESPACE.sub("", url).strip()
    match = _SCHEME.match(text)
    return match.group(1).lower() if match else None


class _Explainer(HTMLParser):
    """Walks the normalised HTML and names each construct outside the allowlist."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.found.append(f"<{tag}> is not allowed; {ALLOWED_SUMMARY}")
            return
        allowed = GLOBAL_ATTRIBUTES | TAG_ATTRIBUTES.get(tag, frozenset())
        for name, value in attrs:
            if name not in allowed:
                names = ", ".join(sorted(allowed))
                self.found.append(f"the attribute {name}= on <{tag}> is not allowed (allowed on <{tag}>: {names})")
            elif name in _URL_ATTRIBUTES and (scheme := _scheme_of(value or "")) and scheme not in URL_SCHEMES:
                self.found.append(
                    f"a {scheme}: URL in {name}= is not allowed (links may be http, https, mailto, relative or #)"
                )
            elif name in _URL_ATTRIBUTES and other_origin(value or ""):
                self.found.append(
                    f"the link {value!r} in {name}= leaves the site without a scheme: write it as https://..."
                )
            elif name == "id" and not safe_id(value or ""):
                self.found.append(f"the id {value!r} on <{tag}> is not allowed: {ID_RULE}")
            elif name == "class" and (bad := [c for c in (value or "").split() if not safe_class(c)]):
                self.found.append(f"the class {' '.join(bad)!r} on <{tag}> is not allowed: {CLASS_RULE}")

    handle_startendtag = handle_starttag
