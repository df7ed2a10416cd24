"""Errors a publish run reports, each worded so the user knows what to fix."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

#: What a secret is replaced with in every message.
REDACTED = "***"
#: Shorter values are not searched for: replacing every "a" would garble the text,
#: and a real BookStack token secret is 32 characters.
_SHORTEST_SECRET = 6


def redact(text: str, secrets: Iterable[str]) -> str:
    """*text* with every occurrence of each secret replaced by ``***``.

    A last line of defence for text that came from elsewhere (a server's error
    message, an exception): the publisher never writes a secret itself.
    """
    for secret in sorted({s for s in secrets if len(s) >= _SHORTEST_SECRET}, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    return text


class PublishError(Exception):
    """A problem that stops (part of) a publish run; ``str()`` is the user-facing message."""


class SettingsError(PublishError):
    """The URL or token is missing or malformed (nothing was sent)."""


class ServerUnreachable(PublishError):
    """The server did not answer, or kept failing after every retry."""

    HINT = "Run the publish again once the server is back: it resumes where it stopped."
    #: A dry run wrote nothing, so there is nothing to resume.
    DRY_RUN_HINT = (
        "Nothing was written (a dry run only reads): check the URL and that the server is "
        "running, then try again."
    )

    def __init__(self, message: str, hint: str = HINT):
        self.reason = message
        super().__init__(f"{message}. {hint}")

    def in_dry_run(self) -> ServerUnreachable:
        """The same problem, told as a dry run should tell it."""
        return ServerUnreachable(self.reason, self.DRY_RUN_HINT)


class NotBookStack(PublishError):
    """The URL answers, but not like the BookStack API (HTML page, redirect to a login)."""


class AuthError(PublishError):
    """The token was refused (401) or its user may not use the API (403 on every call)."""


class RequestRejected(PublishError):
    """The server refused one request: validation (422), permission (403), missing (404), ...

    The run goes on with the other items; the item's label is added by the caller
    with :meth:`about`.
    """

    def __init__(self, status: int, message: str, validation: dict[str, Any] | None = None):
        self.status = status
        self.server_message = message
        self.validation = validation or {}
        self.item = ""
        super().__init__(self._text())

    def about(self, item: str) -> RequestRejected:
        """Name the page, chapter or book the request was for."""
        self.item = item
        self.args = (self._text(),)
        return self

    def _text(self) -> str:
        parts = [f"{self.item}: " if self.item else ""]
        if self.status == 0:  # not sent at all: something it depends on failed
            parts.append(self.server_message)
            return "".join(parts)
        parts.append(f"the server refused the request (HTTP {self.status}): {self.server_message}")
        for field_name, messages in sorted(self.validation.items()):
            text = "; ".join(str(m) for m in messages) if isinstance(messages, list) else messages
            parts.append(f"\n    {field_name}: {text}")
        if self.status == 403:
            parts.append(
                "\n    (the token's user lacks a permission for this; check its role and the "
                "content permissions)"
            )
        return "".join(parts)


class RouteMissing(RequestRejected):
    """An API route answered with BookStack's web page: this server lacks the feature.

    Older servers answer ``/api/system`` (before v25.05) and ``/api/imports``
    (before v25.07) this way; the publisher then takes the path that works there.
    """


class AmbiguousWrite(Exception):
    """A non-idempotent request failed in a way that leaves open whether it took effect.

    Raised instead of retrying blindly: the caller looks the entity up by its tags
    first, so a dropped answer never leads to a duplicate.
    """

    def __init__(self, cause: str):
        self.cause = cause
        super().__init__(cause)
