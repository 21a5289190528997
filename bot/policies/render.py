"""Marketer texts are Jinja templates rendered in a sandbox.

Customer-supplied values (a name, a message) are passed in as data; they are never
parsed as template code, so a customer named `{{ 7*7 }}` is greeted literally.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from bot.errors import BotError
from bot.policies.catalog import Catalog
from bot.policies.texts import LocalizedText
from bot.user import User


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
        if "{" not in source:  # no expression, statement or comment: Jinja gives it back
            return source.strip()
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

    def for_customer(self, user: User, catalog: Catalog) -> Callable[..., str]:
        """Render marketer texts for `user`: in their language, with what every text sees.

        Every text sees `profile`, `stage`, `locale` and `catalog` (the names the
        validator allows everywhere); callers add their own variables. The stage is read
        when a text is rendered, as actions may have moved the customer meanwhile.
        """
        views: dict[str, dict[str, Any]] = {}

        def render_text(text: LocalizedText, **variables: Any) -> str:
            if user.locale not in views:
                views[user.locale] = catalog.view(user.locale)
            context: dict[str, Any] = {
                "profile": user.profile,
                "stage": user.stage.value,
                "locale": user.locale,
                "catalog": views[user.locale],
                **variables,
            }
            return self.render(text.source(user.locale), context)

        return render_text
