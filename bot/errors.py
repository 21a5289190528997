"""The root exception type; every error the bot raises on purpose derives from it."""

from __future__ import annotations


class BotError(Exception):
    """Base of every deliberate error of the bot."""


class NluUnavailable(BotError):
    """The NLU server cannot be reached (down, timing out, or its circuit is open)."""


class InputError(BotError):
    """Input that breaks a rule of an API; `field` names the offending field.

    The web app answers it with `status` and `{"error": {"message", "field"}}`
    (`bot/web/errors.py`); `field` is None when no one field is to blame.
    """

    status = 422

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message if field is None else f"{field}: {message}")
        self.field = field
        self.message = message


class WholeRequestError(InputError):
    """An error about the request as a whole, not one of its fields."""

    def __init__(self, message: str) -> None:
        super().__init__(None, message)


class UnreadableInput(WholeRequestError):
    """A request body that is not JSON, or not a JSON object: no field can be read."""

    status = 400


class Unauthorized(WholeRequestError):
    """A missing or wrong credential."""

    status = 401


class Forbidden(WholeRequestError):
    """A request the caller may not make (a foreign origin, a role without the right)."""

    status = 403


class NotFound(WholeRequestError):
    """The request names something that does not exist (a customer, a broadcast)."""

    status = 404


class Conflict(WholeRequestError):
    """The request does not fit the current state (e.g. no handoff is open)."""

    status = 409


class RequestTimeout(WholeRequestError):
    """The body did not arrive within the body-read timeout."""

    status = 408


class TooLarge(WholeRequestError):
    """A body over the route's limit."""

    status = 413


class UnsupportedMedia(WholeRequestError):
    """A body in a charset or content encoding the bot does not read (compressed bodies)."""

    status = 415


class TooManyRequests(WholeRequestError):
    """Too many attempts for now (failed logins); `retry_after` seconds until the next."""

    status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
