"""Texts and buttons as marketers write them: one template per locale."""

from __future__ import annotations

from jinja2 import TemplateSyntaxError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, field_validator

from bot.lifecycle import Locale

MAX_PAYLOAD_BYTES = 64  # Telegram's callback_data limit


class LocalizedText(BaseModel):
    """A template in every supported locale."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    vi: str
    en: str

    @field_validator("vi", "en")
    @classmethod
    def _is_template(cls, source: str) -> str:
        try:
            SandboxedEnvironment().parse(source)
        except TemplateSyntaxError as exc:
            raise ValueError(f"template syntax error: {exc.message} (line {exc.lineno})") from exc
        return source

    def source(self, locale: Locale) -> str:
        """The template source for `locale`."""
        return self.vi if locale == "vi" else self.en


class ButtonSpec(BaseModel):
    """A quick-reply button: a title per locale and the payload sent back."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: LocalizedText
    payload: str

    @field_validator("payload")
    @classmethod
    def _fits_telegram(cls, payload: str) -> str:
        size = len(payload.encode())
        if size > MAX_PAYLOAD_BYTES:
            raise ValueError(f"payload is {size} bytes; Telegram allows {MAX_PAYLOAD_BYTES}")
        if not payload.startswith("/"):
            raise ValueError("payload must start with '/', e.g. /ask_price")
        return payload
