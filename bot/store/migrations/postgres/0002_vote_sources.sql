-- 0002 on PostgreSQL: the same as ../0002_vote_sources.sql (read it for the why), with bigint
-- snowflakes.

ALTER TABLE ratings
    ADD COLUMN prompt_message_id bigint REFERENCES rating_prompts (message_id) ON DELETE SET NULL;

CREATE TABLE prompt_reactions (
    message_id bigint  NOT NULL REFERENCES rating_prompts (message_id) ON DELETE CASCADE,
    user_id    bigint  NOT NULL,
    scores     integer NOT NULL CHECK (scores BETWEEN 0 AND 2046 AND scores % 2 = 0),
    updated_at text    COLLATE "C" NOT NULL,
    PRIMARY KEY (message_id, user_id)
);
