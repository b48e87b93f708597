"""A /recommend answer encoded for its pager and decoded again (bot.recommend.pages)."""

from __future__ import annotations

import json

import pytest

from bot.recommend.engine import Picks, Recommendation
from bot.recommend.filters import Filters
from bot.recommend.pages import UnreadablePicks, decode_picks, encode_picks, page_count

IDS = ("run-on", "goblin", "healer")


def test_page_count():
    assert [page_count(n) for n in (0, 1, 5, 6, 10, 11, 50)] == [1, 1, 1, 2, 2, 3, 10]


def _catalog_of(*dramas):
    return type("Cat", (), {"get": staticmethod({d.id: d for d in dramas}.get)})()


def test_round_trip_keeps_every_field_the_reply_shows(catalog):
    dramas = [catalog.get(i) for i in IDS]
    seed, a, b = dramas
    filters = Filters(genre="Romance", max_episodes=16)
    picks = Picks(
        results=[
            Recommendation(a, 0.75, 0.5, ("slow-burn romance",), ("Romance",), (8.5, 4), filters, "sequel", seed, 3),
            Recommendation(b, 0.25, filters=filters, kind="also"),
        ],
        likes=[seed],
        stand_in=True,
        filters=filters,
    )
    back = decode_picks(encode_picks(picks), _catalog_of(*dramas))
    assert back == picks


def test_a_drama_the_catalog_lost_is_left_out(catalog):
    seed, a, b = [catalog.get(i) for i in IDS]
    picks = Picks([Recommendation(a, 0.5), Recommendation(b, 0.4)], [seed], False, Filters())
    back = decode_picks(encode_picks(picks), _catalog_of(seed, b))
    assert [r.drama.id for r in back.results] == [b.id]


@pytest.mark.parametrize("text", ["", "[]", '{"v": 2}', '{"v": 1}', '{"v":1,"likes":[],"stand_in":0,"filters":{}}'])
def test_other_or_damaged_text_is_unreadable(text, catalog):
    if text.endswith("{}}"):
        text = json.dumps({**json.loads(text), "results": [{"score": 1}]})  # a result without its id
    with pytest.raises(UnreadablePicks):
        decode_picks(text, catalog)
