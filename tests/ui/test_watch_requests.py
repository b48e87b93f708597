"""The UI layer's option checks for /watchnight (`bot.ui.watch_night.poll_request`,
`bot.ui.watch_party.party_title`, `Zone`) on the bundled catalog; expected values by hand."""

from __future__ import annotations

import pytest

from bot.ui.errors import UserFacingError
from bot.ui.watch_night import NO_PARTY_TITLE, poll_request
from bot.ui.watch_party import Zone, party_title
from tests.fakes import make_interaction


def test_poll_request_keeps_named_titles_in_order_once(catalog):
    run_on, signal = catalog.get("run-on"), catalog.get("signal")
    request = poll_request([run_on, None, signal, run_on, None], ["goblin", "kingdom"], None, 24, catalog)
    assert request.drama_ids == ["run-on", "signal"]  # the queue is not used when titles are named
    assert request.answers == ["Run On", "Signal"]
    assert (request.question, request.hours, request.from_queue) == ("What do we watch next?", 24, False)


def test_poll_request_without_titles_takes_the_queue(catalog):
    request = poll_request([None] * 5, ["goblin", "kingdom", "goblin"], "  Friday?  ", 3, catalog)
    assert request.drama_ids == ["goblin", "kingdom"]
    assert request.answers == ["Goblin", "Kingdom"]
    assert (request.question, request.hours, request.from_queue) == ("Friday?", 3, True)


@pytest.mark.parametrize(
    ("named", "question", "hours", "says"),
    [
        (["run-on"], None, 24, "at least 2"),
        (["run-on", "signal"], "x" * 301, 24, "301 characters"),
        (["run-on", "signal"], None, 769, "769 is outside"),
        (["run-on", "signal"], None, 0, "0 is outside"),
    ],
)
def test_poll_request_refuses_what_discord_would_not_take(catalog, named, question, hours, says):
    with pytest.raises(UserFacingError, match=says):
        poll_request([catalog.get(i) for i in named], [], question, hours, catalog)


def test_party_title_is_the_option_else_the_last_winner(catalog):
    run_on = catalog.get("run-on")
    assert party_title(run_on, "signal", catalog) is run_on
    assert party_title(None, "signal", catalog) is catalog.get("signal")
    for winner in (None, "no-such-drama"):
        with pytest.raises(UserFacingError) as caught:
            party_title(None, winner, catalog)
        assert str(caught.value) == NO_PARTY_TITLE


async def test_zone_option_autocompletes_iana_names_and_passes_the_value_on():
    zone = Zone  # discord.py's Transform[str, t] is the transformer `t` itself at run time
    inter = make_interaction()
    assert [c.value for c in await zone.autocomplete(inter, "seoul")] == ["Asia/Seoul"]
    assert len(await zone.autocomplete(inter, "a")) == 25  # Discord's limit
    assert await zone.transform(inter, "Asia/Seoul") == "Asia/Seoul"
