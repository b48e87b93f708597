"""Watching together: the pure rules behind watchlists, up next, watch night, watch parties and the live tally.

Nothing here imports discord, SQL or I/O; everything takes plain values (ids as ints, drama ids as
slugs, aware datetimes, counts) and returns plain values or frozen dataclasses. Rule breaches a member
can cause raise `WatchRuleError` subclasses whose message is fit to show them as typed.

Modules:
    errors     the exception types.
    text       Discord text length (UTF-16 code units) and readable shortening.
    watchlist  statuses, episode progress, `/watched`, per-status counts, list privacy.
    upnext     the server's queue: backing, order, who may remove.
    watchnight poll candidates, answers, question, duration, the result from vote counts.
    party      watch-party start time (zone or ISO), end time, event name/description/location.
    tally      the histogram line on rating prompts and the edit-coalescing rule.
"""
