-- 0002: where each vote came from, and what the store last saw on each prompt.
--
-- ratings.prompt_message_id: the prompt whose reaction set the vote, NULL for `/rate`. When a
-- prompt is forgotten the vote stays (the member still rated the show) and loses its source.
--
-- prompt_reactions: per prompt and member, the keycaps the store last saw them holding, as a
-- bit set (bit s set = keycap s, 1..10, present; 0 = none), and when that last changed. Live
-- events keep it current. Reconciliation after downtime diffs the reactions read back from
-- Discord against it, so only what changed while the bot was away is applied: a vote
-- withdrawn live is not resurrected by an older keycap still on the message, a later `/rate`
-- is not overwritten by a keycap that was already there, and a member whose reactions changed
-- live after the read began is left to the live events.

ALTER TABLE ratings
    ADD COLUMN prompt_message_id INTEGER REFERENCES rating_prompts (message_id) ON DELETE SET NULL;

CREATE TABLE prompt_reactions (
    message_id INTEGER NOT NULL REFERENCES rating_prompts (message_id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL,
    scores     INTEGER NOT NULL CHECK (scores BETWEEN 0 AND 2046 AND scores % 2 = 0),
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (message_id, user_id)
) WITHOUT ROWID;
