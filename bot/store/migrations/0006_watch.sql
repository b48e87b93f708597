-- 0006 (issue 14): watchlists, watchlist privacy, the up-next queue with its backings, and the
-- per-guild watch settings (the role an admin lets remove others' up-next entries).
-- Portable SQL (SQLite and PostgreSQL): snowflakes BIGINT, flags 0/1 INTEGER, times ISO 8601 UTC
-- text with microseconds (fixed width, so text order is time order), no WITHOUT ROWID.

-- One member's state for one drama in one guild (bot.watch.watchlist.Entry).
CREATE TABLE watchlist_entries (
    guild_id   BIGINT  NOT NULL,
    user_id    BIGINT  NOT NULL,
    drama_id   TEXT    NOT NULL,
    status     TEXT    NOT NULL CHECK (status IN ('plan_to_watch', 'watching', 'finished', 'dropped')),
    episode    INTEGER CHECK (episode IS NULL OR episode >= 1),
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, drama_id)
);
-- /drama and /shouldiwatch count members per status for one drama: covered by this index.
CREATE INDEX watchlist_by_drama ON watchlist_entries (guild_id, drama_id, status, user_id);

-- A member's privacy here: list_private hides their list from others; named_in_counts lets
-- /drama name them beside the counts. No row = both 0.
CREATE TABLE watch_privacy (
    guild_id        BIGINT  NOT NULL,
    user_id         BIGINT  NOT NULL,
    list_private    INTEGER NOT NULL DEFAULT 0 CHECK (list_private IN (0, 1)),
    named_in_counts INTEGER NOT NULL DEFAULT 0 CHECK (named_in_counts IN (0, 1)),
    updated_at      TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- The server's queue. backers is the number of rows in upnext_backings for the title, kept in
-- the same transaction as every backing change, so the queue order is read from an index.
CREATE TABLE upnext_entries (
    guild_id BIGINT  NOT NULL,
    drama_id TEXT    NOT NULL,
    added_by BIGINT  NOT NULL,
    added_at TEXT    NOT NULL,
    backers  INTEGER NOT NULL DEFAULT 0 CHECK (backers >= 0),
    PRIMARY KEY (guild_id, drama_id)
);
-- Queue order (bot.watch.upnext.queue_order_key): most backers, then older, then drama id.
CREATE INDEX upnext_order ON upnext_entries (guild_id, backers DESC, added_at, drama_id);

-- One backing per member per title.
CREATE TABLE upnext_backings (
    guild_id  BIGINT NOT NULL,
    drama_id  TEXT   NOT NULL,
    user_id   BIGINT NOT NULL,
    backed_at TEXT   NOT NULL,
    PRIMARY KEY (guild_id, drama_id, user_id),
    FOREIGN KEY (guild_id, drama_id) REFERENCES upnext_entries (guild_id, drama_id) ON DELETE CASCADE
);
-- "Which titles do I back" for /upnext show.
CREATE INDEX upnext_backings_by_member ON upnext_backings (guild_id, user_id);

-- Per-guild watch settings: the role that may remove others' up-next entries (NULL: none).
CREATE TABLE watch_settings (
    guild_id        BIGINT PRIMARY KEY,
    remover_role_id BIGINT,
    updated_at      TEXT   NOT NULL
);
