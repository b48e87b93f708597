-- 0005: per guild and drama, the vote count, the sum of scores and the 1..10 histogram, kept
-- current by triggers on `ratings` in the same transaction as every vote written (recorded,
-- replaced, withdrawn, reconciled — whatever statement does it), so /ratings, the chart and
-- /recommend read one row per drama instead of every vote. A row whose votes drop to 0 stays,
-- with zeros. The INSERT fills it from the votes already there.

CREATE TABLE rating_totals (
    guild_id INTEGER NOT NULL,
    drama_id TEXT    NOT NULL,
    votes    INTEGER NOT NULL DEFAULT 0,
    total    INTEGER NOT NULL DEFAULT 0,
    s1      INTEGER NOT NULL DEFAULT 0,
    s2      INTEGER NOT NULL DEFAULT 0,
    s3      INTEGER NOT NULL DEFAULT 0,
    s4      INTEGER NOT NULL DEFAULT 0,
    s5      INTEGER NOT NULL DEFAULT 0,
    s6      INTEGER NOT NULL DEFAULT 0,
    s7      INTEGER NOT NULL DEFAULT 0,
    s8      INTEGER NOT NULL DEFAULT 0,
    s9      INTEGER NOT NULL DEFAULT 0,
    s10     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, drama_id)
) WITHOUT ROWID;

CREATE TRIGGER rating_totals_on_insert AFTER INSERT ON ratings
BEGIN
    INSERT INTO rating_totals (guild_id, drama_id, votes, total, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
    VALUES (NEW.guild_id, NEW.drama_id, 1, NEW.score, CASE NEW.score WHEN 1 THEN 1 ELSE 0 END, CASE NEW.score WHEN 2 THEN 1 ELSE 0 END, CASE NEW.score WHEN 3 THEN 1 ELSE 0 END, CASE NEW.score WHEN 4 THEN 1 ELSE 0 END, CASE NEW.score WHEN 5 THEN 1 ELSE 0 END, CASE NEW.score WHEN 6 THEN 1 ELSE 0 END, CASE NEW.score WHEN 7 THEN 1 ELSE 0 END, CASE NEW.score WHEN 8 THEN 1 ELSE 0 END, CASE NEW.score WHEN 9 THEN 1 ELSE 0 END, CASE NEW.score WHEN 10 THEN 1 ELSE 0 END)
    ON CONFLICT (guild_id, drama_id) DO UPDATE SET
        votes = votes + 1,
        total = total + NEW.score,
        s1 = s1 + (CASE NEW.score WHEN 1 THEN 1 ELSE 0 END),
        s2 = s2 + (CASE NEW.score WHEN 2 THEN 1 ELSE 0 END),
        s3 = s3 + (CASE NEW.score WHEN 3 THEN 1 ELSE 0 END),
        s4 = s4 + (CASE NEW.score WHEN 4 THEN 1 ELSE 0 END),
        s5 = s5 + (CASE NEW.score WHEN 5 THEN 1 ELSE 0 END),
        s6 = s6 + (CASE NEW.score WHEN 6 THEN 1 ELSE 0 END),
        s7 = s7 + (CASE NEW.score WHEN 7 THEN 1 ELSE 0 END),
        s8 = s8 + (CASE NEW.score WHEN 8 THEN 1 ELSE 0 END),
        s9 = s9 + (CASE NEW.score WHEN 9 THEN 1 ELSE 0 END),
        s10 = s10 + (CASE NEW.score WHEN 10 THEN 1 ELSE 0 END);
END;

CREATE TRIGGER rating_totals_on_update AFTER UPDATE OF score ON ratings WHEN OLD.score <> NEW.score
BEGIN
    UPDATE rating_totals SET
        total = total - OLD.score + NEW.score,
        s1 = s1 - (CASE OLD.score WHEN 1 THEN 1 ELSE 0 END),
        s2 = s2 - (CASE OLD.score WHEN 2 THEN 1 ELSE 0 END),
        s3 = s3 - (CASE OLD.score WHEN 3 THEN 1 ELSE 0 END),
        s4 = s4 - (CASE OLD.score WHEN 4 THEN 1 ELSE 0 END),
        s5 = s5 - (CASE OLD.score WHEN 5 THEN 1 ELSE 0 END),
        s6 = s6 - (CASE OLD.score WHEN 6 THEN 1 ELSE 0 END),
        s7 = s7 - (CASE OLD.score WHEN 7 THEN 1 ELSE 0 END),
        s8 = s8 - (CASE OLD.score WHEN 8 THEN 1 ELSE 0 END),
        s9 = s9 - (CASE OLD.score WHEN 9 THEN 1 ELSE 0 END),
        s10 = s10 - (CASE OLD.score WHEN 10 THEN 1 ELSE 0 END)
    WHERE guild_id = OLD.guild_id AND drama_id = OLD.drama_id;
    UPDATE rating_totals SET
        s1 = s1 + (CASE NEW.score WHEN 1 THEN 1 ELSE 0 END),
        s2 = s2 + (CASE NEW.score WHEN 2 THEN 1 ELSE 0 END),
        s3 = s3 + (CASE NEW.score WHEN 3 THEN 1 ELSE 0 END),
        s4 = s4 + (CASE NEW.score WHEN 4 THEN 1 ELSE 0 END),
        s5 = s5 + (CASE NEW.score WHEN 5 THEN 1 ELSE 0 END),
        s6 = s6 + (CASE NEW.score WHEN 6 THEN 1 ELSE 0 END),
        s7 = s7 + (CASE NEW.score WHEN 7 THEN 1 ELSE 0 END),
        s8 = s8 + (CASE NEW.score WHEN 8 THEN 1 ELSE 0 END),
        s9 = s9 + (CASE NEW.score WHEN 9 THEN 1 ELSE 0 END),
        s10 = s10 + (CASE NEW.score WHEN 10 THEN 1 ELSE 0 END)
    WHERE guild_id = NEW.guild_id AND drama_id = NEW.drama_id;
END;

CREATE TRIGGER rating_totals_on_delete AFTER DELETE ON ratings
BEGIN
    UPDATE rating_totals SET
        votes = votes - 1,
        total = total - OLD.score,
        s1 = s1 - (CASE OLD.score WHEN 1 THEN 1 ELSE 0 END),
        s2 = s2 - (CASE OLD.score WHEN 2 THEN 1 ELSE 0 END),
        s3 = s3 - (CASE OLD.score WHEN 3 THEN 1 ELSE 0 END),
        s4 = s4 - (CASE OLD.score WHEN 4 THEN 1 ELSE 0 END),
        s5 = s5 - (CASE OLD.score WHEN 5 THEN 1 ELSE 0 END),
        s6 = s6 - (CASE OLD.score WHEN 6 THEN 1 ELSE 0 END),
        s7 = s7 - (CASE OLD.score WHEN 7 THEN 1 ELSE 0 END),
        s8 = s8 - (CASE OLD.score WHEN 8 THEN 1 ELSE 0 END),
        s9 = s9 - (CASE OLD.score WHEN 9 THEN 1 ELSE 0 END),
        s10 = s10 - (CASE OLD.score WHEN 10 THEN 1 ELSE 0 END)
    WHERE guild_id = OLD.guild_id AND drama_id = OLD.drama_id;
END;

INSERT INTO rating_totals (guild_id, drama_id, votes, total, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
SELECT guild_id, drama_id, count(*), sum(score),
       sum(CASE score WHEN 1 THEN 1 ELSE 0 END),
       sum(CASE score WHEN 2 THEN 1 ELSE 0 END),
       sum(CASE score WHEN 3 THEN 1 ELSE 0 END),
       sum(CASE score WHEN 4 THEN 1 ELSE 0 END),
       sum(CASE score WHEN 5 THEN 1 ELSE 0 END),
       sum(CASE score WHEN 6 THEN 1 ELSE 0 END),
       sum(CASE score WHEN 7 THEN 1 ELSE 0 END),
       sum(CASE score WHEN 8 THEN 1 ELSE 0 END),
       sum(CASE score WHEN 9 THEN 1 ELSE 0 END),
       sum(CASE score WHEN 10 THEN 1 ELSE 0 END)
FROM ratings GROUP BY guild_id, drama_id;

-- /myratings and /recommend read a member's votes in a guild newest first: this index answers
-- that in order. 0003's ratings_by_member (guild_id, user_id) lost to the primary key in SQLite's
-- planner, which then scanned the whole guild's votes and sorted them.
DROP INDEX ratings_by_member;
CREATE INDEX ratings_by_member_recent ON ratings (guild_id, user_id, updated_at DESC, drama_id);

-- Work that must happen once across processes (announce a poll result once, …): a row per
-- (kind, key), inserted by the one claimant that wins (bot/store/claims.py). The primary key
-- makes concurrent claimants in other processes wait for the winner's transaction, then find the
-- row; a claimant whose transaction rolls back (or whose process dies) leaves no row.
CREATE TABLE claims (
    kind       TEXT NOT NULL,
    claim_key  TEXT NOT NULL,
    claimed_at TEXT NOT NULL,
    PRIMARY KEY (kind, claim_key)
);
