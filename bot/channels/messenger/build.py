"""Building the Messenger channel from the settings (`MESSENGER_*`)."""

from __future__ import annotations

from functools import partial

import httpx

from bot.channels.messenger.channel import CHANNEL, MessengerChannel
from bot.channels.messenger.sender import MessengerSender, Purpose
from bot.channels.messenger.webhook import MessengerWebhook
from bot.channels.shared.pacing import Pacing, Rates
from bot.channels.shared.platform import PlatformEvents, PlatformNeeds
from bot.channels.shared.status import ChannelStatus
from bot.config import Settings
from bot.errors import BotError


def build_messenger(settings: Settings, needs: PlatformNeeds) -> MessengerChannel:
    """The channel of the Facebook page of `MESSENGER_PAGE_ACCESS_TOKEN`.

    Raises:
        BotError: a setting it needs is missing.

    """
    token, secret = settings.messenger_page_access_token, settings.messenger_app_secret
    verify_token = settings.messenger_verify_token
    if token is None or secret is None or verify_token is None:
        raise BotError(
            "Messenger needs MESSENGER_PAGE_ACCESS_TOKEN, MESSENGER_APP_SECRET and "
            "MESSENGER_VERIFY_TOKEN"
        )
    http = httpx.AsyncClient(timeout=10)
    sender = MessengerSender(
        http,
        page_token=token.get_secret_value(),
        api_base=settings.messenger_api_base,
        pacing=Pacing(
            Rates(
                settings.messenger_overall_per_second,
                1 / settings.messenger_recipient_interval_seconds,
            )
        ),
    )
    status = ChannelStatus(needs.redis, needs.keys, CHANNEL, needs.clock)
    respond = partial(sender.send, purpose=Purpose.RESPONSE)  # a turn's replies
    return MessengerChannel(
        webhook=MessengerWebhook(
            app_secret=secret.get_secret_value(), verify_token=verify_token.get_secret_value()
        ),
        sender=sender,
        events=PlatformEvents(CHANNEL, needs, status, respond, typing=sender.typing),
        ingest=needs.ingest,
        reachability=needs.reachability,
        last_inbound=needs.last_inbound,
        status=status,
        http=http,
        clock=needs.clock,
    )
