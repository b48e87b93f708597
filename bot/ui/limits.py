"""Discord's hard limits on what a bot may send (characters unless noted).

Source: Discord's developer documentation ("Embed limits", "Application command naming",
"Autocomplete"), mirrored by ../shared/fakediscord's validator.
"""

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25  # count
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBED_TOTAL = 6000
AUTOCOMPLETE_CHOICES = 25  # count
CHOICE_NAME = 100
SELECT_OPTIONS = 25  # count
SELECT_LABEL = 100
SELECT_DESCRIPTION = 100
CUSTOM_ID = 100
COMMAND_NAME = 32
COMMAND_DESCRIPTION = 100
