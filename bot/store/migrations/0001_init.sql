-- 0001: one vote per member per drama per guild, and the messages members react on to vote.
-- Applied by bot/store/migrate.py inside its own BEGIN ... COMMIT with PRAGMA user_version = 1.
-- Times are ISO 8601 UTC text with microseconds ("2026-11-01T12:00:00.000000+00:00"): fixed
-- width, so text order is time order.

CREATE TABLE ratings (
    guild_id   INTEGER NOT NULL,
    drama_id   TEXT    NOT NULL,
    user_id    INTEGER NOT NULL,
    score      INTEGER NOT NULL CHECK (score BETWEEN 1 AND 10),
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, drama_id, user_id)
) WITHOUT ROWID;

CREATE TABLE rating_prompts (
    message_id INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    channel_id INTEGER NOT NULL,
    drama_id   TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);
