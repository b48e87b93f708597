-- 0005 on PostgreSQL (same table and meaning as ../0005_rating_totals.sql; one plpgsql trigger):
-- per guild and drama, the vote count, the sum of scores and the 1..10 histogram, kept
-- current by triggers on `ratings` in the same transaction as every vote written (recorded,
-- replaced, withdrawn, reconciled — whatever statement does it), so /ratings, the chart and
-- /recommend read one row per drama instead of every vote. A row whose votes drop to 0 stays,
-- with zeros. The INSERT fills it from the votes already there.

CREATE TABLE rating_totals (
    guild_id bigint  NOT NULL,
    drama_id text    COLLATE "C" NOT NULL,
    votes    integer NOT NULL DEFAULT 0,
    total    bigint  NOT NULL DEFAULT 0,
    s1      integer NOT NULL DEFAULT 0,
    s2      integer NOT NULL DEFAULT 0,
    s3      integer NOT NULL DEFAULT 0,
    s4      integer NOT NULL DEFAULT 0,
    s5      integer NOT NULL DEFAULT 0,
    s6      integer NOT NULL DEFAULT 0,
    s7      integer NOT NULL DEFAULT 0,
    s8      integer NOT NULL DEFAULT 0,
    s9      integer NOT NULL DEFAULT 0,
    s10     integer NOT NULL DEFAULT 0,
    PRIMARY KEY (guild_id, drama_id)
);

CREATE FUNCTION rating_totals_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE rating_totals SET
            votes = rating_totals.votes - 1,
            total = rating_totals.total - OLD.score,
            s1 = rating_totals.s1 - (CASE OLD.score WHEN 1 THEN 1 ELSE 0 END),
            s2 = rating_totals.s2 - (CASE OLD.score WHEN 2 THEN 1 ELSE 0 END),
            s3 = rating_totals.s3 - (CASE OLD.score WHEN 3 THEN 1 ELSE 0 END),
            s4 = rating_totals.s4 - (CASE OLD.score WHEN 4 THEN 1 ELSE 0 END),
            s5 = rating_totals.s5 - (CASE OLD.score WHEN 5 THEN 1 ELSE 0 END),
            s6 = rating_totals.s6 - (CASE OLD.score WHEN 6 THEN 1 ELSE 0 END),
            s7 = rating_totals.s7 - (CASE OLD.score WHEN 7 THEN 1 ELSE 0 END),
            s8 = rating_totals.s8 - (CASE OLD.score WHEN 8 THEN 1 ELSE 0 END),
            s9 = rating_totals.s9 - (CASE OLD.score WHEN 9 THEN 1 ELSE 0 END),
            s10 = rating_totals.s10 - (CASE OLD.score WHEN 10 THEN 1 ELSE 0 END)
        WHERE guild_id = OLD.guild_id AND drama_id = OLD.drama_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO rating_totals (guild_id, drama_id, votes, total, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
        VALUES (NEW.guild_id, NEW.drama_id, 1, NEW.score, CASE NEW.score WHEN 1 THEN 1 ELSE 0 END, CASE NEW.score WHEN 2 THEN 1 ELSE 0 END, CASE NEW.score WHEN 3 THEN 1 ELSE 0 END, CASE NEW.score WHEN 4 THEN 1 ELSE 0 END, CASE NEW.score WHEN 5 THEN 1 ELSE 0 END, CASE NEW.score WHEN 6 THEN 1 ELSE 0 END, CASE NEW.score WHEN 7 THEN 1 ELSE 0 END, CASE NEW.score WHEN 8 THEN 1 ELSE 0 END, CASE NEW.score WHEN 9 THEN 1 ELSE 0 END, CASE NEW.score WHEN 10 THEN 1 ELSE 0 END)
        ON CONFLICT (guild_id, drama_id) DO UPDATE SET
            votes = rating_totals.votes + 1,
            total = rating_totals.total + NEW.score,
            s1 = rating_totals.s1 + (CASE NEW.score WHEN 1 THEN 1 ELSE 0 END),
            s2 = rating_totals.s2 + (CASE NEW.score WHEN 2 THEN 1 ELSE 0 END),
            s3 = rating_totals.s3 + (CASE NEW.score WHEN 3 THEN 1 ELSE 0 END),
            s4 = rating_totals.s4 + (CASE NEW.score WHEN 4 THEN 1 ELSE 0 END),
            s5 = rating_totals.s5 + (CASE NEW.score WHEN 5 THEN 1 ELSE 0 END),
            s6 = rating_totals.s6 + (CASE NEW.score WHEN 6 THEN 1 ELSE 0 END),
            s7 = rating_totals.s7 + (CASE NEW.score WHEN 7 THEN 1 ELSE 0 END),
            s8 = rating_totals.s8 + (CASE NEW.score WHEN 8 THEN 1 ELSE 0 END),
            s9 = rating_totals.s9 + (CASE NEW.score WHEN 9 THEN 1 ELSE 0 END),
            s10 = rating_totals.s10 + (CASE NEW.score WHEN 10 THEN 1 ELSE 0 END);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER rating_totals_on_insert_delete AFTER INSERT OR DELETE ON ratings
    FOR EACH ROW EXECUTE FUNCTION rating_totals_follow();
CREATE TRIGGER rating_totals_on_update AFTER UPDATE OF score ON ratings
    FOR EACH ROW WHEN (OLD.score <> NEW.score) EXECUTE FUNCTION rating_totals_follow();

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
    kind       TEXT COLLATE "C" NOT NULL,
    claim_key  TEXT COLLATE "C" NOT NULL,
    claimed_at TEXT NOT NULL,
    PRIMARY KEY (kind, claim_key)
);
