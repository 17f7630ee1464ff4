"""``feeds.opml``: every feed of the site in OPML 2.0, grouped by kind, for a feed reader to import at once."""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree


@dataclass(frozen=True)
class FeedLink:
    title: str
    url: str  # absolute
    page: str  # absolute: the listing the feed follows


def opml(title: str, groups: list[tuple[str, list[FeedLink]]]) -> bytes:
    """The document: one outline per group (site, collections, tags, authors, digest), empty groups left out.
    No date in its head, so the same site gives the same bytes."""
    root = etree.Element("opml", version="2.0")
    etree.SubElement(etree.SubElement(root, "head"), "title").text = title
    body = etree.SubElement(root, "body")
    for name, links in groups:
        if not links:
            continue
        group = etree.SubElement(body, "outline", text=name, title=name)
        for link in links:
            etree.SubElement(
                group, "outline", type="rss", text=link.title, title=link.title, xmlUrl=link.url, htmlUrl=link.page
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
