"""The rows of the inbox: open handoffs, closed conversations and tickets, named and filtered."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Literal

from bot.handoff import HandoffDesk
from bot.inbox.assignments import Assignments
from bot.inbox.canned import CannedReplies
from bot.inbox.closed import ClosedLog
from bot.inbox.names import channel_of, customer_name
from bot.inbox.notes import Notes
from bot.inbox.tickets import Tickets
from bot.store.transcript import Transcript
from bot.store.users import Users
from bot.user import User

View = Literal["mine", "unassigned", "all", "closed", "tickets"]
VIEWS: tuple[View, ...] = ("mine", "unassigned", "all", "closed", "tickets")
PREVIEW = 120  # characters of the last message shown


@dataclass(frozen=True, slots=True)
class Inbox:
    """What the inbox pages read and change, besides the handoff desk itself."""

    handoffs: HandoffDesk
    users: Users
    transcript: Transcript
    assignments: Assignments
    closed: ClosedLog
    tickets: Tickets
    notes: Notes
    canned: CannedReplies

    async def rows(self, view: View, me: str, query: str = "") -> list[dict[str, Any]]:
        """The rows of `view` for staff member `me`, matching `query` (name, id or text)."""
        if view == "closed":
            rows = await self._closed_rows()
        elif view == "tickets":
            rows = await self._ticket_rows()
        else:
            rows = [r for r in await self._open_rows() if _in_view(r, view, me)]
        needle = query.strip().lower()
        return [r for r in rows if not needle or needle in _haystack(r)]

    async def _open_rows(self) -> list[dict[str, Any]]:
        listed = await self.handoffs.open_handoffs()
        ids = [h["user_id"] for h in listed]
        users = {u.id: u for u in await self.users.load_many(ids)}
        owners = await self.assignments.owners(ids)
        rows = []
        for handoff in listed:
            user = users.get(handoff["user_id"])
            if user is None:
                continue
            row = _row(user, handoff["reason"], owners.get(user.id))
            row.update(status="open", started=handoff["started"])
            row["answered"] = handoff["first_response"] is not None
            rows.append(row)
        return await self._with_previews(rows)

    async def _closed_rows(self) -> list[dict[str, Any]]:
        records = await self.closed.latest()
        users = {u.id: u for u in await self.users.load_many([r["user_id"] for r in records])}
        rows = []
        for record in records:
            user = users.get(record["user_id"])
            if user is None:
                continue
            row = _row(user, record.get("reason", ""), record.get("owner"))
            row.update(status="closed", started=record.get("started"), closed=record["closed"])
            row.update(closed_by=record.get("closed_by"), csat=record.get("csat"))
            row["resolution"] = record.get("resolution", "")
            rows.append(row)
        return await self._with_previews(rows)

    async def _ticket_rows(self) -> list[dict[str, Any]]:
        tickets = await self.tickets.listed()
        users = {u.id: u for u in await self.users.load_many([t["user_id"] for t in tickets])}
        rows = []
        for ticket in tickets:
            user = users.get(ticket["user_id"])
            if user is None:
                continue
            row = _row(user, ticket["kind"], None)
            comments = " ".join(c["text"] for c in ticket["comments"])
            row.update(status=ticket["status"], started=ticket["at"], ticket=ticket["id"])
            row["preview"] = {"dir": "in", "text": f"{ticket['text']} {comments}".strip()[:PREVIEW]}
            rows.append(row)
        return rows

    async def _with_previews(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        latest = await asyncio.gather(*(self.transcript.read(r["user_id"], count=1) for r in rows))
        for row, entries in zip(rows, latest, strict=True):
            if entries:
                last = entries[-1]
                row["preview"] = {
                    "dir": last["dir"],
                    "text": str(last["text"])[:PREVIEW],
                    "author": last.get("author", ""),
                    "at": last["at"],
                }
            # Unread: the customer wrote last, nobody has answered that yet.
            row["unread"] = bool(entries) and entries[-1]["dir"] == "in"
        return rows


def _row(user: User, reason: str, owner: str | None) -> dict[str, Any]:
    return {
        "user_id": user.id,
        "name": customer_name(user),
        "identities": user.identities,
        "channel": channel_of(user),
        "stage": user.stage.value,
        "reason": reason,
        "owner": owner,
        "preview": None,
        "unread": False,
    }


def _in_view(row: dict[str, Any], view: View, me: str) -> bool:
    if view == "mine":
        return bool(row["owner"] == me)
    if view == "unassigned":
        return row["owner"] is None
    return True


def _haystack(row: dict[str, Any]) -> str:
    preview = row.get("preview") or {}
    parts = [row["name"], row["user_id"], *row["identities"], str(preview.get("text", ""))]
    parts += [str(row.get("resolution") or ""), str(row.get("owner") or "")]
    return " ".join(parts).lower()
