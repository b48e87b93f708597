-- 0007 (issue 14, watch night): native-poll watch nights and the watch parties made from them.
-- Portable SQL (no WITHOUT ROWID, no booleans): "announced" is a nullable time, claimed once with
-- UPDATE ... WHERE announced_at IS NULL, so the live poll-end message, `/watchnight end` and the
-- start-up pickup never announce one poll twice. Times are ISO 8601 UTC text as in 0001.
--
-- watch_polls: one row per watch-night poll message. outcome is set in the same UPDATE that claims
-- the announcement: 'winner' (winner_drama_id set), 'tie' or 'no_votes'.
-- watch_poll_answers: the poll's answers in order (answer_id 1..n as Discord numbers them) and the
-- drama each one stands for.
-- watch_parties: the scheduled events Ramen created, newest per guild first for /watchnight interest.

CREATE TABLE watch_polls (
    message_id      INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    channel_id      INTEGER NOT NULL,
    started_by      INTEGER NOT NULL,
    question        TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    expires_at      TEXT    NOT NULL,
    announced_at    TEXT,
    outcome         TEXT CHECK (outcome IN ('winner', 'tie', 'no_votes')),
    winner_drama_id TEXT
);

CREATE TABLE watch_poll_answers (
    message_id INTEGER NOT NULL REFERENCES watch_polls (message_id) ON DELETE CASCADE,
    answer_id  INTEGER NOT NULL CHECK (answer_id BETWEEN 1 AND 10),
    drama_id   TEXT    NOT NULL,
    PRIMARY KEY (message_id, answer_id)
);

CREATE TABLE watch_parties (
    event_id   INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    drama_id   TEXT    NOT NULL,
    created_by INTEGER NOT NULL,
    start_at   TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);

CREATE INDEX watch_polls_open ON watch_polls (created_at) WHERE announced_at IS NULL;
CREATE INDEX watch_polls_by_guild ON watch_polls (guild_id, created_at);
CREATE INDEX watch_parties_by_guild ON watch_parties (guild_id, created_at);
