"""/recommend's `platform` means streaming services and `network` the original broadcaster; each
autocompletes only values the catalog holds (checked on the shared K-drama CSV)."""

from __future__ import annotations

import pytest

from bot.catalog.assemble import build_catalog
from bot.recommend.engine import Recommender
from bot.recommend.filters import Filters
from bot.ui.options import term_choices
from tests.conftest import CATALOG_DIR, SHARED_CSV


@pytest.fixture(scope="module")
def full() -> Recommender:
    if not SHARED_CSV.is_file():
        pytest.skip(f"the shared K-drama CSV is absent ({SHARED_CSV})")
    return Recommender(build_catalog(CATALOG_DIR, SHARED_CSV)[0])


def test_streaming_services_find_shows(full):
    # The issue: `Viki` and `Disney+` found nothing; now each finds shows streaming there.
    for service in ("Netflix", "Viki", "Disney+", "Prime Video", "Wavve", "TVING"):
        results = full.recommend(filters=Filters(platform=service))
        assert results, service


def test_platform_choices_are_services_and_network_choices_broadcasters(full):
    platforms = {p.casefold() for p in full.platforms}
    networks = {n.casefold() for n in full.networks}
    assert {"netflix", "viki", "disney+", "prime video", "wavve", "tving"} <= platforms
    assert {"jtbc", "tvn", "kbs2", "sbs", "mbc", "ocn"} <= networks
    assert not {"jtbc", "tvn", "kbs2", "sbs", "mbc", "ocn"} & platforms  # broadcasters are not streaming services
    assert [c.value for c in term_choices(full.platforms, "jtb")] == []
    assert [c.value for c in term_choices(full.networks, "jtb")] == ["JTBC"]
    assert "Viki" in [c.value for c in term_choices(full.platforms, "vik")]


def test_network_filter_keeps_only_that_broadcaster(full):
    results = full.recommend(filters=Filters(network="tvN"), limit=50)
    assert len(results) == 50
    assert all("tvn" in {n.casefold() for n in r.drama.network} for r in results)
