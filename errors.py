"""One small exception hierarchy; only the edges (CLI, TUI) render these."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes shared by every command."""

    OK = 0
    ERROR = 1
    USAGE = 2
    REFUSED = 3  # the guard refused a query
    ALERT = 4  # an alert rule fired
    NOT_UNDERSTOOD = 5  # a question was not understood: nothing was answered
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


class ShopqlError(Exception):
    """A user-facing error: `message` says what was wrong, `hint` what to do about it."""

    exit_code: ExitCode = ExitCode.ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class WorkspaceError(ShopqlError):
    """No workspace, a broken shopql.toml, or a warehouse that cannot be opened."""


class ConfigError(ShopqlError):
    """A setting has a wrong type or value (a usage error: exit 2)."""

    exit_code = ExitCode.USAGE


class UsageError(ShopqlError):
    """The command asks for something it may not have (a role above the user's) or names
    something that does not exist (a metric, an export format)."""

    exit_code = ExitCode.USAGE


class SyncError(ShopqlError):
    """A file cannot be synced at all (nothing of it was written)."""


class GuardError(ShopqlError):
    """The SQL guard refused a query."""

    exit_code = ExitCode.REFUSED


class QueryError(ShopqlError):
    """A query passed the guard but failed to run."""
