"""Building the Zalo OA channel from the settings (`ZALO_*`)."""

from __future__ import annotations

import httpx
from pydantic import SecretStr

from bot.channels.shared.pacing import Pacing, Rates
from bot.channels.shared.platform import PlatformEvents, PlatformNeeds
from bot.channels.shared.status import ChannelStatus
from bot.channels.zalo.channel import CHANNEL, ZaloChannel
from bot.channels.zalo.oauth import ZaloOAuth
from bot.channels.zalo.sender import ZaloSender
from bot.channels.zalo.tokens import ZaloTokens
from bot.channels.zalo.webhook import ZaloWebhook
from bot.config import Settings
from bot.errors import BotError


def build_zalo(settings: Settings, needs: PlatformNeeds) -> ZaloChannel:
    """The channel of the Official Account linked to `ZALO_APP_ID`.

    Raises:
        BotError: a setting it needs is missing.

    """
    app_id, app_secret = settings.zalo_app_id, settings.zalo_app_secret
    oa_secret = settings.zalo_oa_secret_key
    if app_id is None or app_secret is None or oa_secret is None:
        raise BotError("Zalo needs ZALO_APP_ID, ZALO_APP_SECRET and ZALO_OA_SECRET_KEY")
    http = httpx.AsyncClient(timeout=10)
    oauth = ZaloOAuth(
        http, base=settings.zalo_oauth_base, app_id=app_id, app_secret=app_secret.get_secret_value()
    )
    tokens = ZaloTokens(
        needs.redis,
        needs.keys,
        oauth,
        seed_access=_secret(settings.zalo_access_token),
        seed_refresh=_secret(settings.zalo_refresh_token),
        clock=needs.clock,
    )
    sender = ZaloSender(
        http,
        tokens,
        api_base=settings.zalo_api_base,
        pacing=Pacing(
            Rates(settings.zalo_overall_per_second, 1 / settings.zalo_recipient_interval_seconds)
        ),
    )
    status = ChannelStatus(needs.redis, needs.keys, CHANNEL, needs.clock)
    webhook = ZaloWebhook(
        app_id=app_id,
        oa_secret_key=oa_secret.get_secret_value(),
        max_age_seconds=settings.zalo_webhook_max_age_seconds,
        clock=needs.clock,
    )
    return ZaloChannel(
        webhook=webhook,
        sender=sender,
        tokens=tokens,
        events=PlatformEvents(CHANNEL, needs, status, sender.send),
        ingest=needs.ingest,
        reachability=needs.reachability,
        last_inbound=needs.last_inbound,
        status=status,
        http=http,
        clock=needs.clock,
    )


def _secret(value: SecretStr | None) -> str | None:
    return None if value is None else value.get_secret_value()
