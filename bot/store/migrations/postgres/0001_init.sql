-- 0001 on PostgreSQL: the same tables as ../0001_init.sql. Snowflakes are bigint (integer is
-- 32-bit here); text columns use the "C" collation, so they sort byte by byte as in SQLite (times
-- are the same fixed-width ISO 8601 UTC text, so text order is time order on both).

CREATE TABLE ratings (
    guild_id   bigint  NOT NULL,
    drama_id   text    COLLATE "C" NOT NULL,
    user_id    bigint  NOT NULL,
    score      integer NOT NULL CHECK (score BETWEEN 1 AND 10),
    updated_at text    COLLATE "C" NOT NULL,
    PRIMARY KEY (guild_id, drama_id, user_id)
);

CREATE TABLE rating_prompts (
    message_id bigint PRIMARY KEY,
    guild_id   bigint NOT NULL,
    channel_id bigint NOT NULL,
    drama_id   text   COLLATE "C" NOT NULL,
    created_at text   COLLATE "C" NOT NULL
);
