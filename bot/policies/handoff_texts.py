"""What the bot tells a customer around a human handoff (`common.yml`'s `handoff:`)."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from bot.policies.texts import LocalizedText


class HandoffTexts(BaseModel):
    """The texts of a handoff's end and of a missed response time.

    `sla_missed` (sees `wait_minutes`) offers the `back_to_bot_button`; `back_to_bot`
    confirms the customer chose the bot again; `closed` precedes the CSAT question `csat`
    (asked only when a staff member wrote). `still_waiting` (sees `wait_minutes`) is the one
    acknowledgement a customer gets when they write again after a silence with no reply.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    extra_variables: ClassVar[dict[str, frozenset[str]]] = {
        "sla_missed": frozenset({"wait_minutes"}),
        "still_waiting": frozenset({"wait_minutes"}),
    }

    sla_missed: LocalizedText
    back_to_bot_button: LocalizedText
    back_to_bot: LocalizedText
    closed: LocalizedText
    csat: LocalizedText
    still_waiting: LocalizedText = LocalizedText(
        vi="Mình đã chuyển tin nhắn của bạn cho nhân viên hỗ trợ, họ sẽ trả lời sớm nhất có thể.",
        en="Your message is with our support team; they'll reply as soon as they can.",
    )


BACK_TO_BOT = "/back_to_bot"
"""The payload of the button that ends a handoff from the customer's side."""
