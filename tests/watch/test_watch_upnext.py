"""Up-next queue: order (backers, age, drama id), one backing per member, who may remove."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.watch.errors import QueueError
from bot.watch.upnext import (
    BackOutcome,
    QueueEntry,
    add_or_back,
    may_remove_entry,
    order_queue,
    position_of,
    top_of_queue,
    withdraw_backing,
)

ALICE, BOB, CAROL, DAVE = 1, 2, 3, 4


def entry(drama_id: str, backers: set[int], added_at: float, added_by: int = ALICE) -> QueueEntry:
    return QueueEntry(drama_id, added_by, added_at, frozenset(backers))


def test_order_by_backers_then_age_then_drama_id():
    a = entry("run-on", {ALICE, BOB}, 100.0)
    b = entry("reply-1988", {ALICE, BOB, CAROL}, 200.0)
    c = entry("crash-landing", {ALICE, BOB}, 50.0)
    d = entry("dear-my-friends", {CAROL, DAVE}, 50.0)  # same backers and age as c: "crash…" < "dear…"
    assert [e.drama_id for e in order_queue([a, d, c, b])] == [
        "reply-1988",
        "crash-landing",
        "dear-my-friends",
        "run-on",
    ]
    # the order does not depend on the input order
    assert order_queue([d, c, b, a]) == order_queue([a, b, c, d])


def test_order_with_datetimes():
    early = entry("b-title", {ALICE}, datetime(2025, 1, 1, tzinfo=UTC))
    late = entry("a-title", {BOB}, datetime(2025, 2, 1, tzinfo=UTC))
    assert [e.drama_id for e in order_queue([late, early])] == ["b-title", "a-title"]


def test_backing_moves_a_title_ahead():
    old = entry("old", {ALICE}, 10.0)
    new = entry("new", {BOB}, 20.0)
    assert top_of_queue([old, new]) == ["old", "new"]
    backed, outcome = add_or_back(new, "new", CAROL, 30.0)
    assert outcome is BackOutcome.BACKED
    assert top_of_queue([old, backed]) == ["new", "old"]


def test_top_of_queue_and_position():
    entries = [entry(f"d{i:02}", {ALICE}, float(i)) for i in range(12)]
    assert top_of_queue(entries) == [f"d{i:02}" for i in range(10)]
    assert top_of_queue(entries, 2) == ["d00", "d01"]
    assert position_of(entries, "d05") == 6
    assert position_of(entries, "missing") is None


def test_add_then_back_then_refuse_a_second_backing():
    added, outcome = add_or_back(None, "run-on", ALICE, 100.0)
    assert outcome is BackOutcome.ADDED
    assert added == QueueEntry("run-on", ALICE, 100.0, frozenset({ALICE}))
    backed, outcome = add_or_back(added, "run-on", BOB, 200.0)
    assert outcome is BackOutcome.BACKED
    assert backed.backers == {ALICE, BOB}
    assert (backed.added_by, backed.added_at) == (ALICE, 100.0)  # backing does not change age
    with pytest.raises(QueueError, match=r"^You already back Run On in up next; one backing per member per title\.$"):
        add_or_back(backed, "run-on", BOB, 300.0, "Run On")


def test_add_or_back_refuses_a_mismatched_entry():
    with pytest.raises(ValueError, match="not 'reply-1988'"):
        add_or_back(entry("run-on", {ALICE}, 1.0), "reply-1988", BOB, 2.0)


def test_withdraw_backing():
    e = entry("run-on", {ALICE, BOB}, 1.0)
    assert withdraw_backing(e, BOB).backers == {ALICE}
    assert withdraw_backing(withdraw_backing(e, BOB), ALICE).backer_count == 0
    with pytest.raises(QueueError, match="You don't back Run On"):
        withdraw_backing(e, CAROL, "Run On")


MODERATOR_ROLE, OTHER_ROLE = 900, 901


@pytest.mark.parametrize(
    ("member", "manages", "roles", "remover_role", "allowed"),
    [
        (ALICE, False, [], None, True),  # own entry
        (BOB, False, [], None, False),
        (BOB, True, [], None, True),  # Manage Server
        (BOB, False, [MODERATOR_ROLE], MODERATOR_ROLE, True),  # the admin-set role
        (BOB, False, [OTHER_ROLE], MODERATOR_ROLE, False),
        (BOB, False, [MODERATOR_ROLE], None, False),  # no role set: a role alone gives nothing
    ],
)
def test_may_remove_entry(member, manages, roles, remover_role, allowed):
    assert (
        may_remove_entry(
            member_id=member,
            added_by=ALICE,
            manages_guild=manages,
            member_role_ids=roles,
            remover_role_id=remover_role,
        )
        is allowed
    )
