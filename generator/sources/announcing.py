"""What both network clients share: the one-line error that stops an announcement run."""

from __future__ import annotations


class AnnounceError(Exception):
    """What stopped an announcement, in one line without the password or token."""
