"""A Content-Security-Policy for each built page: scripts from the site's origin and the page's own inline ones."""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<code>.*?)</script>", re.DOTALL | re.IGNORECASE)
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)


def policy(page: str) -> str:
    """The policy for one page: Material's inline scripts by hash, every other script only from the site itself."""
    hashes = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(m["code"].encode("utf-8")).digest()).decode() + "'"
            for m in _INLINE_SCRIPT.finditer(page)
            if "src=" not in m["attrs"] and "application/json" not in m["attrs"]
        }
    )
    return "; ".join(
        ["script-src 'self' " + " ".join(hashes), "object-src 'none'", "base-uri 'self'", "form-action 'self'"]
    )


def with_policy(page: str) -> str:
    """The page with its policy as the first thing after ``<meta charset>``, before any script runs."""
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(page)}">'
    found = _CHARSET.search(page)
    if found is None:
        return page
    return page[: found.end()] + meta + page[found.end() :]
