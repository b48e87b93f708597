"""Errors a member can cause with watch commands; each message is written to be shown to them as is.

Every class subclasses `WatchRuleError` (itself a `ValueError`), so the UI layer can turn the whole
family into one ephemeral reply.
"""

from __future__ import annotations


class WatchRuleError(ValueError):
    """A watch rule the member's input breaks; `str(error)` is the member-facing sentence."""


class EpisodeError(WatchRuleError):
    """An episode number that is not a positive integer or is past the drama's last episode."""


class StatusError(WatchRuleError):
    """A status/episode combination that makes no sense (e.g. an episode on "plan to watch")."""


class QueueError(WatchRuleError):
    """An up-next action that cannot happen (backing a title twice, withdrawing a backing never given)."""


class PollRuleError(WatchRuleError):
    """A watch-night poll that Discord would refuse or that cannot be a choice (too few titles, bad duration)."""


class PartyTimeError(WatchRuleError):
    """A watch-party time that cannot be used: unknown zone, unreadable, nonexistent/ambiguous, or past."""


class PartyLengthError(WatchRuleError):
    """Episode counts, runtimes or a cap that cannot give an event length (zero or negative)."""
