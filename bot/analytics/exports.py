"""CSV exports of every customer and of every stage move and event."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

from bot.analytics.records import CustomerRecords
from bot.customer_state import LAST_SEEN, OPTED_OUT, REFERRAL_CODE, REFERRED_BY, TRIAL


async def customers_csv(records: CustomerRecords) -> str:
    """One row per customer: identity, stage, language, dates, trial, NPS, referral, opt-out."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "user_id",
            "identities",
            "stage",
            "locale",
            "created",
            "stage_entered_at",
            "last_seen",
            "trial_code",
            "trial_expires",
            "nps",
            "referral_code",
            "referred_by",
            "opted_out",
        ]
    )
    async for record in records.read():
        user, state = record.user, record.user.state
        trial, nps = state.get(TRIAL), state.get("nps")
        writer.writerow(
            [
                user.id,
                " ".join(user.identities),
                user.stage.value,
                user.locale,
                _iso(user.created),
                _iso(user.stage_entered_at),
                _iso(state.get(LAST_SEEN)),
                trial["code"] if trial else "",
                _iso(trial["expires"] if trial else None),
                nps["score"] if nps else "",
                state.get(REFERRAL_CODE, ""),
                state.get(REFERRED_BY, ""),
                bool(state.get(OPTED_OUT)),
            ]
        )
    return out.getvalue()


async def events_csv(records: CustomerRecords) -> str:
    """Every stage move and event of every customer, with its time and data (JSON)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["user_id", "at", "kind", "data"])
    async for record in records.read():
        for move in record.history:
            data = {"from": move.from_stage, "to": move.to_stage, "reason": move.reason}
            writer.writerow([record.user.id, _iso(move.at), "stage", json.dumps(data)])
        for event in record.events:
            writer.writerow(
                [
                    record.user.id,
                    _iso(event.at),
                    event.kind,
                    json.dumps(event.data, ensure_ascii=False),
                ]
            )
    return out.getvalue()


def _iso(at: object) -> str:
    if not isinstance(at, int | float):
        return ""
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds")
