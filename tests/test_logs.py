"""The log filter: tokens never reach a log line, whatever logger wrote it."""

from __future__ import annotations

import io
import logging

from bot.logs import RedactSecrets

BOT_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123"
INTERACTION_TOKEN = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5OnNlY3JldA"


def logged(message: str, *args: object) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactSecrets((BOT_TOKEN,)))
    logger = logging.getLogger("test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning(message, *args)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_interaction_callback_and_webhook_urls_lose_their_token() -> None:
    line = logged(
        "POST %s with %s has returned %s",
        f"https://discord.com/api/v10/interactions/1234/{INTERACTION_TOKEN}/callback",
        None,
        204,
    )
    assert line == "POST https://discord.com/api/v10/interactions/1234/[redacted]/callback with None has returned 204\n"
    hook = logged("PATCH /webhooks/99/%s/messages/@original", INTERACTION_TOKEN)
    assert hook == "PATCH /webhooks/99/[redacted]/messages/@original\n"


def test_payload_tokens_and_the_bot_token_are_redacted() -> None:
    line = logged("event %s", {"t": "INTERACTION_CREATE", "d": {"id": "1", "token": INTERACTION_TOKEN}})
    assert INTERACTION_TOKEN not in line and "'token': '[redacted]'" in line
    assert logged(f"Authorization: Bot {BOT_TOKEN}") == "Authorization: Bot [redacted]\n"
    assert logged("json %s", '{"token": "' + INTERACTION_TOKEN + '"}') == 'json {"token": "[redacted]"}\n'
