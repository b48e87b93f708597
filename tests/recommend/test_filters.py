"""`FilterIndex`: /recommend's filter rules run once per distinct facet value, same answers as drama by drama."""

from __future__ import annotations

from bot.catalog.model import Drama
from bot.recommend.filters import FilterIndex, Filters, facets_of


def test_filter_index_runs_each_rule_once_per_distinct_value_and_agrees_with_the_rules():
    dramas = [
        Drama(id="a", title="A", genres=("Romance",), episodes=16, platforms=("Netflix",), network=("tvN",)),
        Drama(id="b", title="B", genres=("Legal",), episodes=12, platforms=("Viki", "Netflix"), network=("JTBC",)),
        Drama(id="c", title="C", genres=("Romance", "Comedy"), episodes=None, platforms=(), network=("tvN",)),
        Drama(id="d", title="D", genres=("Romance",), episodes=16, platforms=("Netflix",), network=("tvN",)),
    ]
    facets = [facets_of(d) for d in dramas]
    index = FilterIndex(facets)
    for filters, expected in [
        (Filters(genre="romance"), [True, False, True, True]),
        (Filters(genre="Law"), [False, True, False, False]),  # "Legal" is the Law genre
        (Filters(max_episodes=12), [False, True, False, False]),  # unknown episodes never pass
        (Filters(platform="netflix", network="TVN"), [True, False, False, True]),
        (Filters(genre="Romance", max_episodes=16), [True, False, False, True]),
        (Filters(), [True, True, True, True]),
    ]:
        assert index.mask(filters).tolist() == expected
        assert [filters.matches(d) for d in dramas] == expected  # the same rules, drama by drama
    again = index.mask(Filters(genre="romance"))
    again[:] = False  # a caller's copy: the kept array is not changed
    assert index.mask(Filters(genre="romance")).tolist() == [True, False, True, True]
