"""The root exception type; every error the bot raises on purpose derives from it."""


class BotError(Exception):
    """Base of every deliberate error of the bot."""


class NluUnavailable(BotError):
    """The NLU server cannot be reached (down, timing out, or its circuit is open)."""


class InputError(BotError):
    """Input that breaks a rule of an API; `field` names the offending field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
