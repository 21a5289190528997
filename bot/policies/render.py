"""Marketer texts are Jinja templates rendered in a sandbox.

Customer-supplied values (a name, a message) are passed in as data; they are never
parsed as template code, so a customer named `{{ 7*7 }}` is greeted literally.
"""

from __future__ import annotations

from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from bot.errors import BotError


class RenderError(BotError):
    """A template failed to render (for example an unknown variable)."""


def template_environment() -> SandboxedEnvironment:
    """The sandbox every marketer text is compiled in."""
    return SandboxedEnvironment(
        undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
    )


def render(template: Template, context: dict[str, Any]) -> str:
    """Render `template`; failures become `RenderError` with the reason."""
    try:
        return template.render(context).strip()
    except TemplateError as exc:
        raise RenderError(f"template failed: {exc}") from exc


class Renderer:
    """Compiles marketer templates once per source text and renders them."""

    def __init__(self, cache_size: int = 2048) -> None:
        self._env = template_environment()
        self._cache: dict[str, Template] = {}
        self._cache_size = cache_size

    def render(self, source: str, context: dict[str, Any]) -> str:
        """Render template `source` with `context` as data."""
        template = self._cache.get(source)
        if template is None:
            try:
                template = self._env.from_string(source)
            except TemplateError as exc:
                raise RenderError(f"template failed: {exc}") from exc
            if len(self._cache) >= self._cache_size:
                self._cache.clear()
            self._cache[source] = template
        return render(template, context)
