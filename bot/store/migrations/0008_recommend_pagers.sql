-- 0008 (issue 15, pager): the /recommend pager lives in the database, so its Previous/Next buttons
-- keep paging after a restart and from any process sharing the database (shard clusters).
-- One row per /recommend reply that has more than one page; pager_id is the id of the interaction
-- that asked (a snowflake, unique), and the buttons' custom_ids carry it with the page they open.
-- results is the ranked list as the recommender made it (JSON: bot/recommend/pages.py), so every
-- page shows what page 1 promised, even when votes change afterwards. guild_id is NULL in a DM.
-- Rows older than the retention (bot/store/pagers.py, 30 days) are deleted when a new one is
-- written and never read; created_at (ISO 8601 UTC text as in 0001) is indexed for that.

CREATE TABLE recommend_pagers (
    pager_id   INTEGER PRIMARY KEY,
    guild_id   INTEGER,
    owner_id   INTEGER NOT NULL,
    owner_name TEXT    NOT NULL,
    results    TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);

CREATE INDEX recommend_pagers_by_age ON recommend_pagers (created_at);
