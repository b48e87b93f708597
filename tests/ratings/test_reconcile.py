"""The reconciliation diff (`bot.ratings.reconcile.reconcile_changes`): pure, no database."""

from __future__ import annotations

from bot.ratings.reconcile import KeycapChange, keycaps_to_tidy, reconcile_changes
from bot.ratings.scores import Keycap

NONE: frozenset[Keycap] = frozenset()


def keycaps(*scores: int, bare: tuple[int, ...] = ()) -> frozenset[Keycap]:
    """Keycaps in the bot's spelling (1️⃣), plus `bare` ones in the other (1⃣)."""
    return frozenset({(s, 0) for s in scores} | {(s, 1) for s in bare})


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


def test_reconcile_changes_a_settled_member_keeps_the_live_vote_and_the_snapshot_learns_older_keycaps():
    # Member 1 added 3 while the bot was down, then /rate 9 live: 9 stands, 3 joins the snapshot,
    # so the next reconcile does not take 3 for a keycap added in the next gap.
    (change,) = reconcile_changes({1: keycaps(6)}, {1: keycaps(6, 3)}, {1: 9}, settled={1})
    assert change == KeycapChange(1, keycaps(6, 3), before=9, after=9)
    # A read that shows less than the live events did changes nothing at all.
    assert reconcile_changes({1: keycaps(6, 7)}, {1: keycaps(6)}, {1: 7}, settled={1}) == []


def test_reconcile_changes_a_vanished_keycap_never_withdraws_a_vote_from_elsewhere():
    # 8 on this prompt vanished while away, but the member's 8 came from /rate (or another prompt).
    (change,) = reconcile_changes({1: keycaps(8)}, {}, {1: 8}, elsewhere={1})
    assert (change.before, change.after, change.keycaps) == (8, 8, NONE)


def test_reconcile_changes_treats_both_spellings_as_one_keycap():
    # Held 8 in both spellings; the bare one went: still holds 8, the vote stays, the snapshot follows.
    (change,) = reconcile_changes({1: keycaps(8, bare=(8,))}, {1: keycaps(8)}, {1: 8})
    assert (change.before, change.after, change.keycaps) == (8, 8, keycaps(8))
    # A bare 5 added to a held 5️⃣ is no new keycap: the /rate 4 stands.
    (change,) = reconcile_changes({2: keycaps(5)}, {2: keycaps(5, bare=(5,))}, {2: 4})
    assert (change.before, change.after) == (4, 4)
    # Both spellings of the vote's keycap gone: withdrawn.
    (change,) = reconcile_changes({3: keycaps(6, bare=(6,))}, {}, {3: 6})
    assert change.removed


def test_keycaps_to_tidy_only_where_the_vote_is_from_this_prompt_and_certain():
    seen = {1: keycaps(9), 2: NONE, 3: keycaps(5, 2), 4: keycaps(3), 5: keycaps(4)}
    now = {1: keycaps(9, bare=(10,)), 2: keycaps(4, 6), 3: keycaps(5, 2), 4: keycaps(3, 7), 5: keycaps(4, 8)}
    votes = {1: 10, 2: 6, 3: 5, 4: 7, 5: 8}
    tidy = keycaps_to_tidy(seen, now, votes, settled={4}, elsewhere={3})
    # 1: 9 is known to be older than the new 10 (either spelling) → take 9 off.
    # 2: two keycaps appeared while away, order unknown → leave both.
    # 3: the vote 5 came from another prompt → this prompt's keycaps stay (2 is the latest here).
    # 4: acted live since the bot came back → the live listener tidies.
    # 5: one new keycap (8, the vote) → take 4 off.
    assert tidy == {1: frozenset({9}), 5: frozenset({4})}
