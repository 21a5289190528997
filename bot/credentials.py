"""Secrets and origins derived from the settings: given, or generated once and kept.

Replicas with their own data folders must be given these settings (the same everywhere).
"""

from __future__ import annotations

import logging
import secrets
from urllib.parse import urlsplit

from pydantic import SecretStr

from bot.config import Settings

log = logging.getLogger(__name__)


def web_chat_origins(settings: Settings) -> list[str]:
    """`WEB_CHAT_ORIGINS`, or the origin of `WEB_CHAT_URL` (the bot's own web chat)."""
    if settings.web_chat_origins is not None:
        return [o.strip().rstrip("/") for o in settings.web_chat_origins.split(",") if o.strip()]
    url = urlsplit(settings.web_chat_url)
    return [f"{url.scheme}://{url.netloc}"]


def admin_token(settings: Settings) -> str:
    """`ADMIN_TOKEN`, or a token generated once and kept in `DATA_DIR/admin_token`."""
    return generated_secret(settings, "admin_token", settings.admin_token)


def generated_secret(settings: Settings, name: str, given: SecretStr | None) -> str:
    """The secret setting `name` when given, else one generated once into `DATA_DIR/<name>`.

    Replicas with their own data folders must be given the setting (the same everywhere).
    """
    if given is not None:
        return given.get_secret_value()
    path = settings.data_dir / name
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
        log.warning("%s is not set; generated one in %s", name.upper(), path)
    return path.read_text().strip()
