"""The offline console shows a watch-night poll, lets members vote in it, ends it, shows the event a
watch party would create, and the live tally on a rating prompt (expected values worked out by hand)."""

from __future__ import annotations

import json

from tests.console.test_console import console


def test_console_watch_night_poll_vote_end_party_and_tally(tmp_path):
    result = console(
        tmp_path,
        "/watchnight start title1:Run On title2:Signal title3:Kingdom hours:2",
        ":vote 1 2 as:alice",
        ":vote 1 2 as:bob",
        ":vote 1 1 as:carol",
        ":vote 1 3 as:carol",  # a new vote replaces carol's old one
        "/watchnight end as:carol",  # not the starter, no Manage Server
        ":endpoll 1",
        "/watchnight party date:2031-05-09 time:8:30 pm timezone:Asia/Seoul",
        "/watchnight interest",
        "/rate title:Run On",
        ":react 7 8️⃣ as:alice",
        ":react 7 6️⃣ as:bob",
    )
    out = result.stdout
    assert result.returncode == 0, result.stderr
    assert "📊 What do we watch next?" in out
    assert "2. Signal · 0 votes   → :vote 1 2" in out
    assert "(carol voted for 3. Kingdom on message #1)" in out
    assert "Only the member who started this watch night" in out
    # Signal 2 (alice, bob), Kingdom 1 (carol moved from Run On), Run On 0 → Signal wins with 2 of 3.
    assert "**Signal** won with 2 of 3 votes" in out
    assert "┃ Signal (2016)" in out  # its /drama card
    # 20:30 in Seoul; no runtime in the catalog, so the stated 3-hour default.
    assert "(Ramen would create a scheduled event: “Watch party: Signal”, external, at Discord," in out
    assert "2031-05-09 20:30 KST to 2031-05-09 23:30 KST" in out
    assert "0 members are interested" in out
    # The tally: 8 → 8.0 from 1 vote; then 8 and 6 → 14 / 2 = 7.0 from 2 votes.
    assert "This server so far: **8.0/10** from 1 vote · `·······█··` 1→10 bowls" in out
    assert "This server so far: **7.0/10** from 2 votes · `·····█·█··` 1→10 bowls" in out


def test_console_poll_usage_errors(tmp_path):
    result = console(tmp_path, "/drama title:Run On", ":vote 1 2", ":vote 9 1", ":endpoll")
    assert result.returncode == 2
    assert "message 1 has no poll" in result.stdout
    assert "no message #9 in the console server (messages: #1 to #1)" in result.stdout
    assert ":vote <message #> <answer #>" in result.stdout


def test_poll_from_an_earlier_console_session_can_be_ended_after_a_restart(tmp_path):
    first = console(
        tmp_path,
        "/watchnight start title1:Goblin title2:Signal question:Friday pick?",
        ":vote 1 2 as:alice",
        ":vote 1 2 as:bob",
        ":vote 1 1 as:carol",
    )
    assert first.returncode == 0, first.stdout + first.stderr
    # A new process on the same database: the poll message (#1) and its votes are still there.
    second = console(tmp_path, ":vote 1 1 as:dave", "/watchnight end")
    out = second.stdout
    assert second.returncode == 0, out + second.stderr
    assert "something went wrong" not in out and "Traceback" not in second.stderr
    assert "(dave voted for 1. Goblin on message #1)" in out
    assert "(the poll on message #1 has ended)" in out
    # Signal 2 (alice, bob), Goblin 2 (carol, dave): a tie, said as a tie.
    assert "Watch night “Friday pick?”" in out and "tie" in out.lower()
    third = console(tmp_path, "/watchnight end")  # announced once: nothing is running any more
    assert "(the poll on message #1 has ended)" not in third.stdout


def test_poll_that_ran_out_while_the_console_was_closed_is_announced_at_start(tmp_path):
    first = console(tmp_path, "/watchnight start title1:Goblin title2:Signal hours:1", ":vote 1 1 as:alice")
    assert first.returncode == 0, first.stdout + first.stderr
    kept = tmp_path / "console.sqlite3.console.json"
    state = json.loads(kept.read_text(encoding="utf-8"))
    state["messages"][0]["poll"]["expires_at"] = "2020-01-01T00:00:00+00:00"  # its hour has long passed
    kept.write_text(json.dumps(state), encoding="utf-8")
    second = console(tmp_path, ":vote 1 2 as:bob", "/watchnight end")
    out = second.stdout
    assert second.returncode == 2  # bob's vote comes too late
    assert out.index("**Goblin** won with 1 of 1 vote") < out.index("> /watchnight end")  # announced at start
    assert "usage: the poll on message #1 has ended" in out
    assert "Goblin" in out and out.count("won with") == 1  # once
