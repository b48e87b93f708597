"""The drama catalog, knowing nothing of Discord: the data (`model`), lookup (`index`), loaders for
the project's TOML entries (`toml_entries`) and the operator's CSV (`csv_rows`), the catalog the bot
serves (`assemble`), which tags are spoilers (`spoiler_tags`), the catalog's words (`vocabulary`),
/shouldiwatch answers (`verdict`) and
`import-review` drafts (`review_draft` and its parts)."""
