"""End-to-end: two bot processes (shards 0 and 1 of 2) sharing one PostgreSQL database.

The fake runs with shards=2 and two guilds, one per shard; each process gets SHARD_COUNT=2 and
its own SHARD_IDS, and only shard 0's process syncs the commands. Rating prompts are posted and
voted on in both guilds; the shard-1 process is killed (SIGKILL) in the middle of a burst of
reactions and restarted: its start-up reconciliation (of its own shard's prompts only) catches
up what it missed. The totals read back from the shared database are exact: worked out from the
reactions the test sent (each member's last keycap is their vote). The first round is awaited
before the kill, so every member the dead process missed has exactly one unseen keycap: two
unseen keycaps cannot be ordered after downtime (Discord does not say which came last; issue #11).
Every /recommend pager still pages: one is made in each guild (so by each process) before the kill
and paged after it; the killed process's pager is paged by its restarted successor, each page the
ranked list's next five as kept in the shared database. (The fake routes a guild's interactions to
its shard's process only, so a click cannot be sent to the other process; the store test
`test_two_stores_on_one_postgres_share_pagers` covers two pools reading one pager.)
"""

from __future__ import annotations

import asyncio
import sys

import pytest
import pytest_asyncio

from tests.e2e.support import KEYCAPS, base_env, kept_fields, page_fields, pager_buttons, query, requires_fake

pytestmark = [requires_fake, pytest.mark.asyncio(loop_scope="module")]

MEMBERS = [f"fan{i:02d}" for i in range(12)]
GUILDS = ("Shard Zero", "Shard One")


@pytest.fixture(scope="module")
def fake_discord_options() -> dict:
    members = {name: [] for name in ("alice", *MEMBERS)}
    guilds = [
        {"name": name, "channels": ["general"], "roles": [], "members": members, "shard": shard}
        for shard, name in enumerate(GUILDS)
    ]
    return {"allowed_intents": 0, "shards": 2, "guilds": guilds}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bots(fake_discord, postgres_module_url, bot_cwd, tmp_path_factory):
    from fakediscord import BotProcess

    procs = []
    for shard in (0, 1):
        env = base_env(postgres_module_url) | {"SHARD_COUNT": "2", "SHARD_IDS": str(shard)}
        log_path = tmp_path_factory.mktemp(f"shard{shard}") / "bot.log"
        proc = BotProcess(
            fake_discord, [sys.executable, "-m", "bot"], cwd=bot_cwd, env=env, log_path=log_path, expect_sync=shard == 0
        )
        await proc.start()  # one after the other: each start waits for one more READY
        procs.append(proc)
    await fake_discord.wait_until(lambda: sorted(fake_discord.sessions_by_shard()) == [0, 1], 15, "both shards")
    yield procs
    for proc in procs:
        await proc.stop()


async def post_prompt(fake, guild: str) -> str:
    rec = await fake.slash("rate", {"title": "Run On"}, user="alice", guild=guild)
    assert rec.answered_within(3.0) and rec.callback.type == 4, rec
    await fake.wait_until(
        lambda: sum(1 for r in fake.message(rec.original_id)["reactions"] if r["emoji"]["name"] in KEYCAPS) == 10,
        15,
        "the ten keycaps",
    )
    return rec.original_id


def totals(url: str) -> dict[int, tuple[int, int]]:
    rows = query(url, "SELECT guild_id, votes, total FROM rating_totals WHERE drama_id = 'run-on'")
    return {int(g): (int(n), int(t)) for g, n, t in rows}


def member_votes(fake, url: str, name: str) -> dict[str, int]:
    names = {int(u["id"]): n for n, u in fake.users.items()}
    rows = query(url, "SELECT user_id, score FROM ratings WHERE guild_id = ?", int(fake.guild(name)["id"]))
    return {names[int(u)]: int(s) for u, s in rows}


async def wait_for_votes(fake, url: str, expected: dict[str, dict[str, int]], within: float = 20) -> None:
    """Until every guild's stored votes (member → score) are exactly `expected`."""
    deadline = asyncio.get_running_loop().time() + within
    while (got := {name: member_votes(fake, url, name) for name in expected}) != expected:
        assert asyncio.get_running_loop().time() < deadline, (got, expected)
        await asyncio.sleep(0.1)


async def turn_page(fake, url: str, message_id: str, page: int) -> None:
    """alice presses Next on her /recommend reply; it must show `page`: the kept ranked list's next five."""
    next_button = pager_buttons(fake.message(message_id))["Next"]
    assert next_button["custom_id"].endswith(f":{page}")
    turned = await fake.click(message_id, next_button["custom_id"], user="alice")
    assert turned.answered_within(3.0) and turned.callback.type == 7, turned
    first = (page - 1) * 5 + 1
    assert page_fields(fake.message(message_id)) == kept_fields(url, next_button["custom_id"], first, first + 4)


async def test_two_processes_share_votes_and_survive_a_kill(fake_discord, bots, postgres_module_url):
    fake = fake_discord
    assert [fake.shard_of(name) for name in GUILDS] == [0, 1]
    prompts = {name: await post_prompt(fake, name) for name in GUILDS}
    pagers = {name: await fake.slash("recommend", {"like": "Run On"}, user="alice", guild=name) for name in GUILDS}
    for rec in pagers.values():  # each made by its guild's process; shard 1's is paged once before the kill
        assert rec.answered_within(3.0) and page_fields(rec.message)[0].startswith("1. "), rec
    await turn_page(fake, postgres_module_url, pagers[GUILDS[1]].original_id, 2)
    expected: dict[str, dict[str, int]] = {name: {} for name in GUILDS}
    # A burst in both guilds: each member reacts twice (second keycap replaces the first).
    for round_number, score_of in enumerate((lambda i: i % 10 + 1, lambda i: (i * 3) % 10 + 1)):
        for i, member in enumerate(MEMBERS):
            for name in GUILDS:
                if round_number == 1 and i == len(MEMBERS) // 2 and name == GUILDS[1]:
                    bots[1].proc.kill()  # kill -9 the shard-1 process mid-burst
                    await bots[1].proc.wait()
                await fake.react(prompts[name], KEYCAPS[score_of(i) - 1], user=member)
                expected[name][member] = score_of(i)
            await asyncio.sleep(0.01)
        if round_number == 0:  # the first round was seen live by both processes before the kill
            await wait_for_votes(fake, postgres_module_url, expected)
    await bots[1].start()  # restarted: its reconciliation reads shard 1's prompt again
    await wait_for_votes(fake, postgres_module_url, expected)
    want = {int(fake.guild(name)["id"]): (len(votes), sum(votes.values())) for name, votes in expected.items()}
    assert totals(postgres_module_url) == want  # the totals table agrees with the votes
    # Every pager still pages: shard 1's from its restarted process (page 3), shard 0's (page 2).
    await turn_page(fake, postgres_module_url, pagers[GUILDS[1]].original_id, 3)
    await turn_page(fake, postgres_module_url, pagers[GUILDS[0]].original_id, 2)
    # Commands answer in both guilds, from the process of each guild's shard.
    for name in GUILDS:
        rec = await fake.slash("ratings", {"title": "Run On"}, user="alice", guild=name)
        assert rec.answered_within(3.0), rec
