"""The customer-data services of a bot process, built once by `bot/wiring.py`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from redis.asyncio import Redis

from bot.channels.registry import Channels
from bot.config import Settings
from bot.customers.intake import EventIntake, Reactions
from bot.customers.privacy import CustomerPrivacy
from bot.engine import Engine
from bot.inbox.tickets import Tickets
from bot.linking.build import Linking, build_linking
from bot.policies.active import ActivePolicies
from bot.scheduler.jobs import JobQueue
from bot.store.keys import Keys
from bot.store.observed import ObservedTurns
from bot.store.ordering import TurnLocks
from bot.store.transcript import Transcript
from bot.store.users import Users
from bot.webhooks.endpoint_cache import EndpointCache
from bot.webhooks.endpoints import Endpoints
from bot.webhooks.observer import WebhookObserver
from bot.webhooks.queue import DeliveryQueue
from bot.webhooks.sender import WebhookSender


@dataclass(frozen=True, slots=True)
class CustomerData:
    """Product events in, webhooks out."""

    intake: EventIntake
    privacy: CustomerPrivacy
    endpoints: Endpoints
    endpoint_cache: EndpointCache  # `run()` it to hear other replicas' changes
    deliveries: DeliveryQueue
    sender: WebhookSender
    linking: Linking


class Core(Protocol):
    """What these services use of the wiring's core."""

    @property
    def keys(self) -> Keys:
        """The Redis keys of the process."""
        ...

    @property
    def users(self) -> Users:
        """The customers."""
        ...

    @property
    def turns(self) -> ObservedTurns:
        """Turn commits, with their observers."""
        ...

    @property
    def transcript(self) -> Transcript:
        """The customers' messages."""
        ...

    @property
    def policies(self) -> ActivePolicies:
        """The active policies (which events they react to)."""
        ...

    @property
    def jobs(self) -> JobQueue:
        """The scheduler's queue (reactions to events run there)."""
        ...

    @property
    def channels(self) -> Channels:
        """The channels (proactive messages pick one of a customer's)."""
        ...

    @property
    def engine(self) -> Engine:
        """The turn engine (link codes are answered before its turns)."""
        ...


def customer_data(
    redis: Redis,
    core: Core,
    settings: Settings,
    clock: Callable[[], float],
    tickets: Tickets | None = None,
) -> CustomerData:
    """The services, with the webhook observer listening to every committed turn.

    With `tickets`, the inbox hears every stored product event (a failed payment opens one).
    """
    default_locale = settings.default_locale
    endpoints = Endpoints(redis, core.keys)
    deliveries = DeliveryQueue(redis, core.keys, clock=clock)
    reactions = Reactions(core.policies, core.jobs)
    endpoint_cache = EndpointCache(redis, endpoints)
    core.turns.after_commit.append(WebhookObserver(endpoint_cache, deliveries, clock))
    intake = EventIntake(redis, core.keys, core.users, default_locale, clock, reactions=reactions)
    if tickets is not None:
        intake.after_store.append(tickets.product_event)
    return CustomerData(
        intake=intake,
        privacy=CustomerPrivacy(
            redis, core.keys, core.users, core.transcript, TurnLocks(redis, core.keys), clock
        ),
        endpoints=endpoints,
        endpoint_cache=endpoint_cache,
        deliveries=deliveries,
        sender=WebhookSender(deliveries, endpoints, clock=clock),
        linking=build_linking(
            redis,
            core.keys,
            core.users,
            core.turns,
            core.engine,
            intake,
            channels=core.channels,
            transcript=core.transcript,
            settings=settings,
            clock=clock,
        ),
    )
