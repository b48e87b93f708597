"""End-to-end: issue #11, ratings by reaction that never lose or corrupt a vote.

One test per scenario of the issue, through the real bot process (`python -m bot`) and the fake
Discord. Each test uses its own drama (and prompt), so its expected votes are worked out by hand
from the rules alone: the last keycap a member added on a prompt is their vote; removing the
keycap that is their current vote withdraws it; removing an older one changes nothing; a live
event after a (re)connect wins over what reconciliation infers; a keycap with and without
U+FE0F is one keycap; an acknowledged vote is committed and survives a stop.

Every scenario failed on the code of the day the issue was filed; each was marked
`xfail(strict=True)` until its fix landed, and all of them now pass unmarked.

Members are created in order, so their ids grow in that order: `early*` have lower ids than
`hold*`, which is what scenario 1 needs (late reactors with lower ids push holders with higher
ids off the end of a read that stops at the count).
"""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import time

import pytest
import pytest_asyncio

from tests.e2e.support import (
    KEYCAPS,
    base_env,
    held_scores,
    holders,
    named,
    one_guild_options,
    post_prompt,
    recording_fake,
    requires_fake,
    since,
    uid,
    votes,
    wait_votes,
)

pytestmark = [requires_fake, pytest.mark.asyncio(loop_scope="module")]

EARLY = [f"early{i:02d}" for i in range(20)]  # lowest ids: the members who react during the read
HOLDERS = [f"hold{i:02d}" for i in range(60)]  # hold 7️⃣ before the read
NAMED = ["bob", "carol", "dave", "erin", "frank", "gina", "hana", "ivan", "june"]
STOPPERS = [f"stop{i:02d}" for i in range(40)]  # react while the bot is being stopped
SETTLE = 1.0  # seconds for the bot to finish what a read started (its store writes take milliseconds)
AWAY_LOG = "changed while the bot was away"


@pytest.fixture(scope="module")
def fake_discord_options() -> dict:
    return one_guild_options([*EARLY, *HOLDERS, *NAMED, *STOPPERS])


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake_discord(fake_discord_options):
    """The fake with request gates installed (tests act while the bot waits on a REST answer)."""
    async with recording_fake(fake_discord_options, gated=True) as fake:
        yield fake


@pytest.fixture(scope="module")
def bot_env(bot_db, fake_discord) -> dict[str, str]:
    return base_env(bot_db, dev_guild_id=fake_discord.guild()["id"])


# ------------------------------------------------------------------------------ helpers


async def reconciled(fake, prompt: str, start: int) -> None:
    """Wait until the bot has read the prompt's last keycap list (🔟) after request `start`, then settle."""
    await fake.wait_until(
        lambda: since(fake, start, "GET", rf"/messages/{prompt}/reactions/{KEYCAPS[9]}$"),
        20,
        f"prompt {prompt} re-read",
    )
    await asyncio.sleep(SETTLE)


def answer_shown(rec) -> bool:
    """The member sees an answer: text or an embed in the response (a deferred one filled in) or a follow-up."""
    shown = [m for m in (rec.message, *rec.followups) if m]
    return any(m.get("content") or m.get("embeds") for m in shown)


def hold_write_lock(db) -> sqlite3.Connection:
    """Another process's view: a connection that holds the database's write lock until rolled back."""
    conn = sqlite3.connect(db, isolation_level=None, timeout=10)
    conn.execute("BEGIN IMMEDIATE")
    return conn


# ------------------------------------------------------------------------------ 1. read while members react


@pytest.mark.parametrize(
    ("how", "late", "drama"), [("resume", EARLY[:10], "goblin"), ("restart", EARLY[10:], "healer")]
)
async def test_members_reacting_while_the_bot_reads_a_prompt_keep_every_vote(
    fake_discord, live_bot, bot_db, how, late, drama
):
    fake, bot = fake_discord, live_bot
    prompt = await post_prompt(fake, drama)
    for name in HOLDERS:  # 60 members hold 7️⃣, counted live
        await fake.react(prompt, KEYCAPS[6], user=name)
    await wait_votes(fake, bot_db, drama, dict.fromkeys(HOLDERS, 7))
    fired = asyncio.Event()

    async def react_during_the_read(method: str, path: str) -> None:
        if method != "GET" or not path.endswith(f"/messages/{prompt}/reactions/{KEYCAPS[6]}"):
            return
        fake.gates.remove(react_during_the_read)
        for name in late:  # 10 more members, all with lower ids than the holders, react 7️⃣ now
            await fake.react(prompt, KEYCAPS[6], user=name)
        # Their events reach the bot now; it applies them once this read is done (on top of it).
        fired.set()

    fake.gates.append(react_during_the_read)
    log_before = bot.log_text().count(AWAY_LOG)
    start = len(fake.requests)
    if how == "resume":
        await fake.disconnect(4000)
    else:
        await bot.restart()
    await reconciled(fake, prompt, start)
    if not fired.is_set():
        raise RuntimeError("set-up: the bot never read the prompt's 7️⃣ users")

    expected = dict.fromkeys([*HOLDERS, *late], 7)  # 70 members hold 7️⃣: 70 votes of 7
    got = named(fake, votes(bot_db, drama))
    assert len(holders(fake, prompt, KEYCAPS[6]) - {"FakeBot"}) == 70
    assert got == expected, f"{len(got)} votes stored, not 70; missing {sorted(set(expected) - set(got))}"
    assert bot.log_text().count(AWAY_LOG) == log_before, "the bot reported changes while it was never away"


# ------------------------------------------------------------------------------ 2. live votes right after a restart


async def test_live_votes_after_a_restart_beat_keycaps_added_while_it_was_down(fake_discord, live_bot, bot_db):
    fake, bot, drama = fake_discord, live_bot, "signal"
    prompt = await post_prompt(fake, drama)
    await fake.react(prompt, KEYCAPS[1], user="carol")  # carol 2, live
    await wait_votes(fake, bot_db, drama, {"carol": 2})
    await bot.stop()
    await fake.react(prompt, KEYCAPS[2], user="bob")  # while down: bob adds 3️⃣
    await fake.react(prompt, KEYCAPS[7], user="carol")  # while down: carol adds 8️⃣ (holds 2️⃣ and 8️⃣)
    start = len(fake.requests)
    await bot.start()  # returns at READY; on_ready (and reconciliation) comes after discord.py's guild wait
    rate = await fake.slash("rate", {"title": drama, "score": 9}, user="carol")  # carol 9, live
    await wait_votes(fake, bot_db, drama, {"carol": 9})
    rate_done = time.monotonic()
    assert rate.answered_within(3.0) and "9/10" in (rate.content or ""), rate
    read = since(fake, start, "GET", rf"/messages/{prompt}$")
    if read and read[0]["at"] < rate_done:
        raise RuntimeError("set-up: reconciliation read the prompt before carol's live vote was stored")
    # bob 5, live, after he came back: the bot re-reads the prompt first (his 3️⃣), then applies the 5.
    await fake.react(prompt, KEYCAPS[4], user="bob")
    await wait_votes(fake, bot_db, drama, {"bob": 5, "carol": 9})
    await reconciled(fake, prompt, start)

    # bob's last keycap is 5️⃣ (added after 3️⃣); carol's last action is /rate 9 (after her 8️⃣)
    assert named(fake, votes(bot_db, drama)) == {"bob": 5, "carol": 9}
    assert "bob" in holders(fake, prompt, KEYCAPS[4]), "the bot removed bob's current 5️⃣"


# ------------------------------------------------------------------------------ 3. a late tidy


async def test_a_late_keycap_removal_spares_the_keycap_the_member_went_back_to(fake_discord, live_bot, bot_db):
    fake, drama = fake_discord, "kingdom"
    prompt = await post_prompt(fake, drama)
    dave = uid(fake, "dave")
    await fake.react(prompt, KEYCAPS[2], user="dave")  # dave 3
    await wait_votes(fake, bot_db, drama, {"dave": 3})
    start = len(fake.requests)
    fake.fail("DELETE", rf"/messages/{prompt}/reactions/{KEYCAPS[2]}/{dave}$", status=500)
    await fake.react(prompt, KEYCAPS[6], user="dave")  # dave 7; the bot's DELETE of his 3️⃣ gets a 500
    await fake.wait_until(
        lambda: since(fake, start, "DELETE", rf"/reactions/{KEYCAPS[2]}/{dave}$"), 10, "the failed removal of dave's 3️⃣"
    )
    await wait_votes(fake, bot_db, drama, {"dave": 7})
    # Before the retry: dave goes back to 3 (his 3️⃣ is still on, so he clicks it off and on again).
    await fake.unreact(prompt, KEYCAPS[2], user="dave")  # an older keycap: changes nothing
    await fake.react(prompt, KEYCAPS[2], user="dave")  # dave 3 again
    await asyncio.sleep(4.0)  # past discord.py's retry (1 s after a 5xx) and its echo

    assert named(fake, votes(bot_db, drama)) == {"dave": 3}
    assert held_scores(fake, prompt, dave) == {3}, "dave should keep his 3️⃣ (and lose the superseded 7️⃣)"


# ------------------------------------------------------------------------------ 4. one keycap, one prompt


async def test_both_spellings_of_a_keycap_are_one_keycap(fake_discord, live_bot, bot_db):
    fake, drama = fake_discord, "stranger"
    prompt = await post_prompt(fake, drama)
    erin, frank = uid(fake, "erin"), uid(fake, "frank")
    await fake.react(prompt, "5\u20e3", user="erin")  # erin 5, without U+FE0F
    await wait_votes(fake, bot_db, drama, {"erin": 5})
    await fake.react(prompt, KEYCAPS[6], user="erin")  # erin 7: her 5⃣ is superseded
    await fake.react(prompt, "8\u20e3", user="frank")  # frank 8
    await fake.react(prompt, KEYCAPS[7], user="frank")  # the same keycap again, with U+FE0F: still 8
    await wait_votes(fake, bot_db, drama, {"erin": 7, "frank": 8})
    await fake.unreact(prompt, "8\u20e3", user="frank")  # one spelling off; the other is still his
    await asyncio.sleep(2.0)

    frank_holds = held_scores(fake, prompt, frank)
    expected = {"erin": 7, **({"frank": 8} if 8 in frank_holds else {})}  # the vote follows the keycap held
    assert named(fake, votes(bot_db, drama)) == expected
    assert held_scores(fake, prompt, erin) == {7}, "erin's superseded 5⃣ should be taken off, whatever its spelling"


async def test_tidy_never_removes_the_latest_keycap_on_a_prompt_for_a_vote_from_another(fake_discord, live_bot, bot_db):
    fake, bot, drama = fake_discord, live_bot, "navillera"
    prompt_a = await post_prompt(fake, drama)
    prompt_b = await post_prompt(fake, drama)
    gina = uid(fake, "gina")
    await fake.react(prompt_a, KEYCAPS[4], user="gina")  # gina 5 on A
    await wait_votes(fake, bot_db, drama, {"gina": 5})
    start = len(fake.requests)
    fake.fail(
        "DELETE",
        rf"/messages/{prompt_a}/reactions/",
        status=403,
        body={"message": "Missing Permissions", "code": 50013},
    )  # Manage Messages missing, for now
    await fake.react(prompt_a, KEYCAPS[1], user="gina")  # gina 2 on A; her 5️⃣ on A stays
    await fake.wait_until(
        lambda: since(fake, start, "DELETE", rf"/messages/{prompt_a}/reactions/"), 10, "the refused removal"
    )
    await fake.react(prompt_b, KEYCAPS[4], user="gina")  # gina 5 on B: her vote, from B
    await wait_votes(fake, bot_db, drama, {"gina": 5})
    assert held_scores(fake, prompt_a, gina) == {2, 5}
    start = len(fake.requests)
    await bot.restart()
    await reconciled(fake, prompt_b, start)  # B is read after A

    assert named(fake, votes(bot_db, drama)) == {"gina": 5}
    assert 2 in held_scores(fake, prompt_a, gina), "the bot took off gina's latest keycap on A (2️⃣)"


# ------------------------------------------------------------------------------ 5. storage locked past 3 s


async def test_every_command_answers_in_time_while_storage_is_locked(fake_discord, live_bot, bot_db):
    fake, drama = fake_discord, "taxi-driver"
    violations_before = len(fake.violations)
    lock = hold_write_lock(bot_db)  # another process holds the write lock for 4 s

    async def release_after(seconds: float) -> float:
        try:
            await asyncio.sleep(seconds)
        finally:
            lock.rollback()
            lock.close()
        return time.monotonic()

    release = asyncio.create_task(release_after(4.0))
    rate = asyncio.create_task(fake.slash("rate", {"title": drama, "score": 6}, user="bob", wait=6))
    await asyncio.sleep(0.2)  # bob's vote is queued behind the lock
    others = await asyncio.gather(
        fake.slash("drama", {"title": drama}, user="carol", wait=6),
        fake.slash("ratings", {"title": drama}, user="dave", wait=6),
        fake.slash("ratings", {}, user="dave", wait=6),
        fake.slash("myratings", {}, user="erin", wait=6),
        fake.slash("recommend", {"like": drama}, user="frank", wait=6),
    )
    released_at = await release
    recs = [await rate, *others]

    late = [(r.payload["data"]["name"], r.response_time) for r in recs if not r.answered_within(3.0)]
    assert late == [], f"not answered or deferred within 3 s: {late}"
    unknown = [v for v in fake.violations[violations_before:] if v["code"] == 10062]
    assert unknown == [], unknown
    # Every command's answer arrives once storage is free (a deferred one as a follow-up).
    for rec in recs:
        await fake.wait_until(lambda rec=rec: answer_shown(rec), 10, f"/{rec.payload['data']['name']} answered")
    # bob's vote is acknowledged only once committed: after the lock was released, and it is on disk.
    acks = [r for r in rate.result().replies if r.status < 300 and "Counted" in str(r.data)]
    assert acks, rate.result()
    assert rate.result().dispatched_at + acks[0].t >= released_at
    assert votes(bot_db, drama) == {uid(fake, "bob"): 6}


# ------------------------------------------------------------------------------ 6. stopping


@pytest.mark.parametrize(
    ("sig", "members", "drama"),
    [
        (signal.SIGTERM, STOPPERS[:20], "sweet-home"),
        (signal.SIGINT, STOPPERS[20:], "start-up"),
    ],
)
async def test_stopping_keeps_every_vote_the_bot_accepted(fake_discord, live_bot, bot_db, sig, members, drama):
    fake, bot = fake_discord, live_bot
    prompt = await post_prompt(fake, drama)
    lock = hold_write_lock(bot_db)  # the bot's writes queue up behind another process's lock
    try:
        rate = asyncio.create_task(fake.slash("rate", {"title": drama, "score": 4}, user="hana", wait=0))
        for i, name in enumerate(members):
            await fake.react(prompt, KEYCAPS[i % 10], user=name)
        await asyncio.sleep(1.0)  # every reaction event has reached the bot
        bot.proc.send_signal(sig)
        await asyncio.sleep(0.5)
    finally:
        lock.rollback()
        lock.close()
    try:
        status = await asyncio.wait_for(bot.proc.wait(), 15)
    except TimeoutError:
        bot.proc.kill()
        status = await bot.proc.wait()
    acked = [r for r in (await rate).replies if r.status < 300 and "Counted" in str(r.data)]
    stored = votes(bot_db, drama)

    expected = {uid(fake, n): i % 10 + 1 for i, n in enumerate(members)}  # each member's only keycap
    if acked:  # hana was told her 4 counted: it must be there
        expected[uid(fake, "hana")] = 4
    else:  # never acknowledged: stored or not, both are right
        stored.pop(uid(fake, "hana"), None)
    missing = sorted(set(expected) - set(stored))
    assert (status, len(missing), stored) == (0, 0, expected), (
        f"exit status {status}; {len(missing)} of {len(expected)} accepted votes missing after exit"
    )
