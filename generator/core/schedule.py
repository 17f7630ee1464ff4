"""What "now" is for publishing: PICKS_NOW, else SOURCE_DATE_EPOCH, else the clock."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime


class NowError(ValueError):
    """PICKS_NOW or SOURCE_DATE_EPOCH holds something that is not an instant."""


def publishing_now(environ: Mapping[str, str] = os.environ) -> datetime:
    """The instant a pick must have reached to be published: the same value gives byte-identical outputs."""
    if text := environ.get("PICKS_NOW", "").strip():
        try:
            moment = datetime.fromisoformat(text)  # Python 3.11 reads a trailing Z as UTC
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            raise NowError(f"PICKS_NOW: '{text}' is not an ISO 8601 date-time with offset, e.g. 2024-04-12T06:00Z")
        return moment.astimezone(UTC)
    if epoch := environ.get("SOURCE_DATE_EPOCH", "").strip():
        if not (epoch.isascii() and epoch.isdigit()):
            raise NowError(f"SOURCE_DATE_EPOCH: '{epoch}' is not a count of seconds since 1970")
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)
