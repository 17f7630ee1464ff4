"""What both network clients share: the one-line errors that stop an announcement run, or skip one pick."""

from __future__ import annotations


class AnnounceError(Exception):
    """What stopped an announcement, in one line without the password or token."""


class SkipPick(AnnounceError):
    """One pick cannot be announced (its posts cannot fit, its record keys are held): the run goes on without it."""
