"""Watch texts that speak to the right person: another member's empty watchlist is theirs, not the
viewer's; the public /upnext replies name the member by mention (sent without pings)."""

from __future__ import annotations

from types import SimpleNamespace

from bot.catalog.model import Drama
from bot.ui import watch as ui
from bot.watch.upnext import BackOutcome

GOBLIN = Drama(id="goblin", title="Goblin")


def test_another_members_empty_watchlist_is_theirs():
    empty = SimpleNamespace(entries=[], total=0)
    theirs = ui.watchlist_embed("carol *star*", empty, lambda i: i, own=False)
    assert theirs.description == "carol \\*star\\* has nothing on their watchlist here yet."
    mine = ui.watchlist_embed("alice", empty, lambda i: i, own=True)
    assert mine.description == "Nothing here yet: `/watchlist add title:…` to start one."


def test_public_upnext_replies_name_the_member():
    one, two = SimpleNamespace(backer_count=1), SimpleNamespace(backer_count=2)
    added = ui.upnext_added(GOBLIN, one, BackOutcome.ADDED, 42)
    assert added == "📺 **Goblin** is in up next, backed by <@42>. `/upnext show` for the queue."
    assert (
        ui.upnext_added(GOBLIN, two, BackOutcome.BACKED, 43) == "👍 <@43> backs **Goblin** in up next: 2 backers now."
    )
    assert ui.upnext_removed(GOBLIN, False, 44) == (
        "<@44> no longer backs **Goblin** in up next (others still do, so it stays)."
    )
