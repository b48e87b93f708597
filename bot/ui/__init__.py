"""Everything that speaks Discord: the one spoiler formatter (`markup`), Discord's limits
(`limits`), embeds (`embeds`, `rating_embeds`), reply texts (`messages`), app command options
(`options`), components (`views`), sending replies (`replies`) and the one error path (`errors`)."""
