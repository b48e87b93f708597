-- 0007 on PostgreSQL: ../0007_watch_night.sql with bigint snowflakes and "C"-collated text.
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
    message_id      bigint PRIMARY KEY,
    guild_id        bigint  NOT NULL,
    channel_id      bigint  NOT NULL,
    started_by      bigint  NOT NULL,
    question        text COLLATE "C" NOT NULL,
    created_at      text COLLATE "C" NOT NULL,
    expires_at      text COLLATE "C" NOT NULL,
    announced_at    text COLLATE "C",
    outcome         text CHECK (outcome IN ('winner', 'tie', 'no_votes')),
    winner_drama_id text COLLATE "C"
);

CREATE TABLE watch_poll_answers (
    message_id bigint  NOT NULL REFERENCES watch_polls (message_id) ON DELETE CASCADE,
    answer_id  integer NOT NULL CHECK (answer_id BETWEEN 1 AND 10),
    drama_id   text COLLATE "C" NOT NULL,
    PRIMARY KEY (message_id, answer_id)
);

CREATE TABLE watch_parties (
    event_id   bigint PRIMARY KEY,
    guild_id   bigint  NOT NULL,
    drama_id   text COLLATE "C" NOT NULL,
    created_by bigint  NOT NULL,
    start_at   text COLLATE "C" NOT NULL,
    created_at text COLLATE "C" NOT NULL
);

CREATE INDEX watch_polls_open ON watch_polls (created_at) WHERE announced_at IS NULL;
CREATE INDEX watch_polls_by_guild ON watch_polls (guild_id, created_at);
CREATE INDEX watch_parties_by_guild ON watch_parties (guild_id, created_at);
