-- 0008 on PostgreSQL: ../0008_recommend_pagers.sql (read it for the why) with bigint snowflakes and
-- "C"-collated text (created_at sorts byte-wise, as in SQLite, so the retention cut agrees).

CREATE TABLE recommend_pagers (
    pager_id   bigint PRIMARY KEY,
    guild_id   bigint,
    owner_id   bigint NOT NULL,
    owner_name text   NOT NULL,
    results    text   NOT NULL,
    created_at text   COLLATE "C" NOT NULL
);

CREATE INDEX recommend_pagers_by_age ON recommend_pagers (created_at);
