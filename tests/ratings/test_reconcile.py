"""The reconciliation diff (`bot.ratings.reconcile.reconcile_changes`): pure, no database."""

from __future__ import annotations

from bot.ratings.reconcile import KeycapChange, reconcile_changes

NONE: frozenset[int] = frozenset()


def keycaps(*scores: int) -> frozenset[int]:
    return frozenset(scores)


def test_reconcile_changes_unchanged_keycaps_change_nothing():
    seen = {1: keycaps(8), 2: keycaps(5)}
    assert reconcile_changes(seen, dict(seen), {1: 8, 2: 4}) == []  # 2's /rate 4 stands against the old 5


def test_reconcile_changes_a_keycap_added_while_away_becomes_the_vote():
    (change,) = reconcile_changes({}, {1: keycaps(7)}, {})
    assert change == KeycapChange(1, keycaps(7), before=None, after=7)
    assert change.added and not change.changed and not change.removed


def test_reconcile_changes_several_new_keycaps_give_the_highest_unless_the_vote_is_among_them():
    assert reconcile_changes({}, {1: keycaps(3, 9)}, {})[0].after == 9  # REST gives no order: the highest
    assert reconcile_changes({}, {1: keycaps(3, 9)}, {1: 3})[0].after == 3  # the current vote is kept


def test_reconcile_changes_the_current_vote_removed_while_away_is_withdrawn():
    (change,) = reconcile_changes({1: keycaps(8)}, {}, {1: 8})
    assert (change.before, change.after, change.keycaps) == (8, None, NONE)
    assert change.removed


def test_reconcile_changes_an_older_keycap_removed_changes_only_the_snapshot():
    (change,) = reconcile_changes({1: keycaps(5, 8)}, {1: keycaps(8)}, {1: 8})
    assert (change.before, change.after, change.keycaps) == (8, 8, keycaps(8))
    assert not (change.added or change.changed or change.removed)


def test_reconcile_changes_a_new_keycap_replaces_a_vote_from_elsewhere():
    (change,) = reconcile_changes({1: keycaps(5)}, {1: keycaps(5, 9)}, {1: 4})  # 4 from /rate, then 9 added
    assert (change.before, change.after) == (4, 9) and change.changed


def test_reconcile_changes_leaves_settled_members_alone_and_orders_by_user():
    seen = {3: keycaps(2), 1: keycaps(6)}
    now = {3: keycaps(2, 7), 1: NONE, 2: keycaps(4)}
    changes = reconcile_changes(seen, now, {1: 6, 3: 2}, settled={1})
    assert [c.user_id for c in changes] == [2, 3]
    assert [(c.before, c.after) for c in changes] == [(None, 4), (2, 7)]
