-- 0009: indexes for two reads that walked far more rows than they return when the file has no
-- ANALYZE statistics (the store never runs ANALYZE itself; see bot/store/sqlite.py on PRAGMA optimize).
-- Portable SQL (SQLite and PostgreSQL).
--
-- A `/rate` vote's live tally looks up the guild's open prompts of one drama (prompts.open_prompt_ids):
-- through rating_prompts_by_created alone that walked every guild's prompts of the last 30 days
-- (280 ms at 100,000 of them). This index reads only that guild and drama's, in posting order.
CREATE INDEX rating_prompts_by_drama ON rating_prompts (guild_id, drama_id, created_at, message_id);

-- The taste read's version (taste.GUILD_VOTES_VERSION) asked for the newest vote of a guild; with
-- only the primary key that aggregated every vote of the guild (530 ms at 1,000,000). With this
-- index MAX(updated_at) is one index probe; the count and sum come from rating_totals (0005).
CREATE INDEX ratings_by_guild_recent ON ratings (guild_id, updated_at);
