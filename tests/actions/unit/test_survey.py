"""NPS and CSAT: the questions, the scores, and the free-text answers that follow."""

from __future__ import annotations

import pytest

from actions.survey import (
    NPS_COMMENT,
    AskArgs,
    AwaitArgs,
    CommentArgs,
    CsatArgs,
    NpsArgs,
    await_comment,
    csat_ask,
    csat_record,
    nps_ask,
    nps_record,
    save_comment,
)
from bot.effects import Button, MoveStage, Record, Reply, RequestHandoff, SetState
from bot.lifecycle import Stage
from bot.nlu.parse import EntityValue
from tests.actions.unit.factory import NOW, Customer, button, text

NPS = NpsArgs(
    promoter=text("Thanks for the {score}! Why?"),
    passive=text("A {score}. What would make it a 10?"),
    detractor=text("Sorry about the {score}. What went wrong?"),
)


def test_nps_ask_offers_one_button_per_score_from_0_to_10() -> None:
    [question] = Customer().run(nps_ask, AskArgs(text=text("How likely...?")))

    assert isinstance(question, Reply)
    assert question.text == "How likely...?"
    assert [b.title for b in question.buttons] == [str(s) for s in range(11)]
    assert question.buttons[9] == Button("9", '/nps{"score": 9}')


def test_a_promoter_is_thanked_asked_why_and_moved_to_advocacy() -> None:
    customer = Customer(stage=Stage.RETENTION)

    effects = customer.run(nps_record, NPS, intent="nps", entities=(("score", 9),))

    answer = {"score": 9, "at": NOW, "stage": "retention"}
    assert effects == [
        Record("nps", answer),
        SetState("nps", answer),
        Reply("Thanks for the 9! Why?"),
        SetState("awaiting", NPS_COMMENT),
        MoveStage(Stage.ADVOCACY, "rule:test"),
    ]
    assert nps_record.moves(NPS) == {Stage.ADVOCACY}


def test_a_passive_is_asked_what_is_missing_and_stays() -> None:
    effects = Customer(stage=Stage.RETENTION).run(nps_record, NPS, entities=(("score", "7"),))

    assert effects[2:] == [
        Reply("A 7. What would make it a 10?"),
        SetState("awaiting", NPS_COMMENT),
    ]


def test_a_detractor_is_asked_what_went_wrong_and_gets_a_person() -> None:
    effects = Customer(stage=Stage.RETENTION).run(nps_record, NPS, entities=(("score", 0),))

    assert effects[2:] == [
        Reply("Sorry about the 0. What went wrong?"),
        SetState("awaiting", NPS_COMMENT),
        RequestHandoff("nps_detractor"),
    ]


@pytest.mark.parametrize("score", [11, -1, "ten", True])
def test_a_score_outside_the_scale_changes_nothing(score: EntityValue) -> None:
    assert Customer().run(nps_record, NPS, entities=(("score", score),)) == []


def test_no_score_or_a_csat_above_5_changes_nothing() -> None:
    assert Customer().run(nps_record, NPS, message="great") == []
    assert Customer().run(csat_record, CsatArgs(text=text("")), entities=(("score", 6),)) == []


def test_csat_ask_offers_scores_from_1_to_5() -> None:
    [question] = Customer().run(csat_ask, AskArgs(text=text("How did we do?")))

    assert isinstance(question, Reply)
    assert [b.payload for b in question.buttons] == [f'/csat{{"score": {s}}}' for s in range(1, 6)]


def test_csat_record_keeps_the_score_with_the_handoff_it_rates() -> None:
    customer = Customer(stage=Stage.RETENTION, state={"csat_for": "h-42"})

    effects = customer.run(
        csat_record, CsatArgs(text=text("Thanks for the {score}.")), entities=(("score", 4),)
    )

    answer = {"score": 4, "at": NOW, "stage": "retention", "handoff": "h-42"}
    assert effects == [
        SetState("csat_for", None),
        Record("csat", answer),
        SetState("csat", answer),
        Reply("Thanks for the 4."),
    ]


def test_await_comment_asks_and_awaits_the_answer_with_common_answers_as_buttons() -> None:
    args = AwaitArgs(
        about="cancel_reason",
        text=text("Why do you want to leave?"),
        buttons=[
            button("Too expensive", "/request_discount"),
            button("Talk to someone", "/request_human"),
        ],
    )

    assert Customer().run(await_comment, args) == [
        Reply(
            "Why do you want to leave?",
            (
                Button("Too expensive", "/request_discount"),
                Button("Talk to someone", "/request_human"),
            ),
        ),
        SetState("awaiting", "cancel_reason"),
    ]


def test_save_comment_keeps_the_message_as_feedback_and_thanks() -> None:
    args = CommentArgs(
        about=NPS_COMMENT, text=text("Thank you!"), buttons=[button("Invite", "/ask_referral")]
    )
    customer = Customer(stage=Stage.ADVOCACY)

    effects = customer.run(save_comment, args, message="Fast support", intent="give_feedback")

    assert effects == [
        Record(
            "feedback",
            {"about": NPS_COMMENT, "text": "Fast support", "at": NOW, "stage": "advocacy"},
        ),
        Reply("Thank you!", (Button("Invite", "/ask_referral"),)),
    ]
