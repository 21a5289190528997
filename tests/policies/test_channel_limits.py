"""Buttons are checked against the limits of the channels a bot runs."""

from __future__ import annotations

import pytest

from bot.channels.base import ChannelLimits
from bot.channels.messenger.rules import LIMITS as MESSENGER
from bot.channels.zalo.rules import LIMITS as ZALO
from bot.policies.loader import PolicyError, load_policies
from tests.conftest import ROOT

TINY = ChannelLimits(
    text_length=None,
    buttons_per_message=None,
    button_title_length=None,
    payload_bytes=12,
    seconds_between_messages=None,
)


def test_the_shipped_policies_fit_zalo_and_messenger() -> None:
    load_policies(ROOT / "stage_policies", limits={"zalo": ZALO, "messenger": MESSENGER})


def test_a_payload_over_a_channels_limit_is_refused_with_its_place() -> None:
    with pytest.raises(PolicyError) as refused:
        load_policies(ROOT / "stage_policies", limits={"zalo": ZALO, "tiny": TINY})
    problems = [str(p) for p in refused.value.problems]
    assert problems and all("tiny allows 12" in p for p in problems)
    assert any(p.startswith(str(ROOT / "stage_policies" / "awareness.yml") + ":") for p in problems)
    assert not any("zalo allows" in p for p in problems)
