"""Logging set-up for `python -m bot`: one format, and no secrets in any log line.

At DEBUG, discord.py logs request URLs and gateway payloads that carry interaction tokens
(`/interactions/<id>/<token>/callback`, `/webhooks/<app id>/<token>`, `"token": "…"`): anyone
holding such a log could answer as the bot for 15 minutes. `RedactSecrets` rewrites every record
that reaches the root handlers, message and arguments alike, before it is written.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"
_PATTERNS = (
    re.compile(r"(/(?:interactions|webhooks)/\d+/)[^/?\s'\"]+"),  # interaction callbacks and webhook URLs
    re.compile(r"""(['"](?:token|access_token)['"]\s*:\s*['"])[^'"]+"""),  # tokens inside payloads (JSON or repr)
    re.compile(r"(\bBot\s+)[A-Za-z0-9_\-]{20,}\.[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+"),  # an Authorization header
)


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """`text` with interaction/webhook tokens, payload tokens and each of `secrets` replaced by `[redacted]`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: m.group(1) + REDACTED, text)
    return text


class RedactSecrets(logging.Filter):
    """A handler filter: formats each record's message with its arguments, redacts it (`redact`),
    and stores the result as the message with no arguments; exception text is redacted too."""

    def __init__(self, secrets: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: let the handler report it as usual
            return True
        record.msg, record.args = redact(message, self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        return True


def configure(level: int, secrets: tuple[str, ...] = ()) -> None:
    """Root logging at `level` to stderr, every root handler filtered through `RedactSecrets(secrets)`."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactSecrets(secrets))
