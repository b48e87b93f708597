-- 0003: indexes for `/myratings` (a member's votes in a guild), the start-up scan of recent
-- prompts, and the foreign key from ratings to prompts (SET NULL on delete looks votes up).

CREATE INDEX ratings_by_member ON ratings (guild_id, user_id);
CREATE INDEX ratings_by_prompt ON ratings (prompt_message_id) WHERE prompt_message_id IS NOT NULL;
CREATE INDEX rating_prompts_by_created ON rating_prompts (created_at);
