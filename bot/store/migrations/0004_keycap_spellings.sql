-- 0004: both spellings of a keycap in what the store last saw on a prompt.
--
-- Discord sends a keycap with or without U+FE0F ("8️⃣" and "8⃣"); to a member they are one
-- keycap, but Discord keeps them as two reactions. prompt_reactions.scores holds the bot's own
-- spelling (bit s = keycap s), bare_scores the other one. A keycap is held while either bit is
-- set: removing one spelling while the other stays does not withdraw the vote, and the bot takes
-- off a superseded keycap in every spelling the member holds.

ALTER TABLE prompt_reactions
    ADD COLUMN bare_scores INTEGER NOT NULL DEFAULT 0 CHECK (bare_scores BETWEEN 0 AND 2046 AND bare_scores % 2 = 0);
