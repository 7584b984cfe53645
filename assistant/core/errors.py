"""A small exception hierarchy. Messages are Dutch: they reach users at the edges."""

from __future__ import annotations

from assistant.core.escaping import escape_controls


class AssistantError(Exception):
    """Base for every error this application raises on purpose."""


class ConfigError(AssistantError):
    """A setting is missing, malformed or needs an extra that is not installed."""


class InvalidInputError(AssistantError):
    """A user's input (question, filter, path) cannot be used."""


class IndexMismatchError(AssistantError):
    """The stored index was built with another embedder than the one configured."""


class IndexEmptyError(AssistantError):
    """There is no index yet: nothing has been ingested."""


class DocumentError(AssistantError):
    """One document could not be read or indexed; names the file and the reason.

    The message escapes control characters in both, so printing it cannot forge lines.
    """

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{escape_controls(path)}: {escape_controls(reason)}")
        self.path = path
        self.reason = reason
