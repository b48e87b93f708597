-- 0006 on PostgreSQL: ../0006_watch.sql with bigint snowflakes and "C"-collated text (drama ids and
-- ISO times sort byte-wise, as in SQLite, so the queue order and list order agree on both backends).
-- One member's state for one drama in one guild (bot.watch.watchlist.Entry).
CREATE TABLE watchlist_entries (
    guild_id   bigint  NOT NULL,
    user_id    bigint  NOT NULL,
    drama_id   text COLLATE "C"    NOT NULL,
    status     text COLLATE "C"    NOT NULL CHECK (status IN ('plan_to_watch', 'watching', 'finished', 'dropped')),
    episode    integer CHECK (episode IS NULL OR episode >= 1),
    updated_at text COLLATE "C"    NOT NULL,
    PRIMARY KEY (guild_id, user_id, drama_id)
);
-- /drama and /shouldiwatch count members per status for one drama: covered by this index.
CREATE INDEX watchlist_by_drama ON watchlist_entries (guild_id, drama_id, status, user_id);

-- A member's privacy here: list_private hides their list from others; named_in_counts lets
-- /drama name them beside the counts. No row = both 0.
CREATE TABLE watch_privacy (
    guild_id        bigint  NOT NULL,
    user_id         bigint  NOT NULL,
    list_private    integer NOT NULL DEFAULT 0 CHECK (list_private IN (0, 1)),
    named_in_counts integer NOT NULL DEFAULT 0 CHECK (named_in_counts IN (0, 1)),
    updated_at      text COLLATE "C"    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- The server's queue. backers is the number of rows in upnext_backings for the title, kept in
-- the same transaction as every backing change, so the queue order is read from an index.
CREATE TABLE upnext_entries (
    guild_id bigint  NOT NULL,
    drama_id text COLLATE "C"    NOT NULL,
    added_by bigint  NOT NULL,
    added_at text COLLATE "C"    NOT NULL,
    backers  integer NOT NULL DEFAULT 0 CHECK (backers >= 0),
    PRIMARY KEY (guild_id, drama_id)
);
-- Queue order (bot.watch.upnext.queue_order_key): most backers, then older, then drama id.
CREATE INDEX upnext_order ON upnext_entries (guild_id, backers DESC, added_at, drama_id);

-- One backing per member per title.
CREATE TABLE upnext_backings (
    guild_id  bigint NOT NULL,
    drama_id  text COLLATE "C"   NOT NULL,
    user_id   bigint NOT NULL,
    backed_at text COLLATE "C"   NOT NULL,
    PRIMARY KEY (guild_id, drama_id, user_id),
    FOREIGN KEY (guild_id, drama_id) REFERENCES upnext_entries (guild_id, drama_id) ON DELETE CASCADE
);
-- "Which titles do I back" for /upnext show.
CREATE INDEX upnext_backings_by_member ON upnext_backings (guild_id, user_id);

-- Per-guild watch settings: the role that may remove others' up-next entries (NULL: none).
CREATE TABLE watch_settings (
    guild_id        bigint PRIMARY KEY,
    remover_role_id bigint,
    updated_at      text COLLATE "C"   NOT NULL
);
