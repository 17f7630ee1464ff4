"""The two forms of a link to a pick's first post (front matter's ``announced``): a Bluesky post, a Mastodon status."""

from __future__ import annotations

import re

BLUESKY_POST = re.compile(r"^https://bsky\.app/profile/(?P<actor>[^/\s]+)/post/(?P<rkey>[a-z0-9]+)$")
MASTODON_STATUS = re.compile(r"^https://(?P<host>[^/\s]+)/@(?P<user>[^/\s]+)/(?P<id>[0-9]+)$")


def is_post_link(url: str) -> bool:
    return bool(BLUESKY_POST.match(url) or MASTODON_STATUS.match(url))
