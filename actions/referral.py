"""Referral links (advocacy): a personal code, Telegram and web links, friends counted."""

from __future__ import annotations

from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict

from actions.context import ActionContext
from actions.messaging import buttons_of
from actions.spec import action
from bot.effects import ClaimCode, Effect, Reply, SetState
from bot.policies.texts import ButtonSpec, LocalizedText

REFERRAL_CODE = "referral_code"
REFERRED_BY = "referred_by"  # state: who referred this customer (set by bot.referral)


class ReferralArgs(BaseModel):
    """`- referral_link: {text: ...}`: the customer's personal code and links.

    The text sees `code`, `telegram_link`, `web_link`, `joined` (friends who came with
    the code) and `credited` (friends who earned the reward).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: LocalizedText
    buttons: list[ButtonSpec] = []


@action(
    "referral_link",
    ReferralArgs,
    variables={"code", "telegram_link", "web_link", "joined", "credited"},
)
def referral_link(args: ReferralArgs, ctx: ActionContext) -> list[Effect]:
    """The customer's personal links, creating their code on first use.

    A customer who came with a friend's code waits for the programme's `own_link_at`
    stage; until then they hear `own_link_later`.
    """
    programme = ctx.referral
    referred = ctx.user.state.get(REFERRED_BY) is not None
    if programme is not None and not programme.gives_own_link(ctx.user.stage, referred):
        return [Reply(ctx.render(programme.own_link_later))]
    effects: list[Effect] = []
    code = ctx.user.state.get(REFERRAL_CODE)
    if code is None:
        code = ctx.new_code().lower()
        effects += [ClaimCode("referral", code), SetState(REFERRAL_CODE, code)]
    telegram = f"https://t.me/{ctx.links.telegram_bot_username}?start=ref_{code}"
    separator = "&" if "?" in ctx.links.web_chat_url else "?"
    web = f"{ctx.links.web_chat_url}{separator}{urlencode({'ref': code})}"
    text = ctx.render(
        args.text,
        code=code,
        telegram_link=telegram,
        web_link=web,
        joined=ctx.referrals.joined,
        credited=ctx.referrals.credited,
    )
    effects.append(Reply(text, buttons_of(args.buttons, ctx)))
    return effects
