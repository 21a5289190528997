"""The referral programme of `common.yml`: when the referrer is credited, and its texts."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from bot.lifecycle import Stage
from bot.policies.texts import LocalizedText


class ReferralProgramme(BaseModel):
    """How referrals work: the stage that earns the referrer the reward, and two texts.

    `welcome` greets a new customer who came with a friend's code (it sees `referrer`, the
    friend's first name when their profile has one); `refused` answers a code sent by a
    customer the bot already knows (their own code included). A customer who came with a
    code gets a link of their own (`referral_link`) from `own_link_at` on; before that,
    `own_link_later` answers instead.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    extra_variables: ClassVar[dict[str, frozenset[str]]] = {"welcome": frozenset({"referrer"})}

    credit_at: Stage = Stage.ONBOARDING
    welcome: LocalizedText
    refused: LocalizedText
    own_link_at: Stage = Stage.ADVOCACY
    own_link_later: LocalizedText = LocalizedText(
        vi="Bạn đang dùng ưu đãi giới thiệu của bạn mình rồi nhé! Khi đã dùng SaleMate một"
        " thời gian, bạn sẽ có link riêng để mời bạn bè.",
        en="You're already on a friend's referral offer! Once you've used SaleMate for a"
        " while, you'll get your own link to invite friends.",
    )

    def gives_own_link(self, stage: Stage, referred: bool) -> bool:
        """Whether a customer in `stage` may get a referral link of their own."""
        order = list(Stage)
        return not referred or order.index(stage) >= order.index(self.own_link_at)
