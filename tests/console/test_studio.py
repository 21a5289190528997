"""The studio over HTTP: drafts checked on save, publishing, the simulator, history, rollback."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aiohttp import FormData
from aiohttp.test_utils import TestClient

from bot.console.accounts import Role
from bot.console.studio.yaml_form import read_form
from bot.wiring import Components
from tests.conftest import Chat, admin_headers
from tests.console.test_console import PASSWORD, fresh_client, login

OFFER_EN = "Your trial code: {{ code }}. Every feature is free until {{ expires }}"


@pytest.fixture
async def marketer(services: Components) -> Any:
    await services.follower.seed(services.settings.policies_dir)
    await services.accounts.add("mai", Role.MARKETER, PASSWORD, by="test")
    await services.accounts.add("lan", Role.SUPPORT, PASSWORD, by="test")
    client = await fresh_client(services)
    assert await login(client, "mai") == 302
    yield client
    await client.close()


async def boot(client: TestClient[Any, Any], page: str = "decision") -> dict[str, Any]:
    html = await (await client.get(f"/console/studio/{page}?lang=en")).text()
    match = re.search(
        r'<script type="application/json" id="studio-boot">(.*?)</script>', html, re.S
    )
    assert match, html[:500]
    data: dict[str, Any] = json.loads(match.group(1))
    return data


async def call(client: TestClient[Any, Any], csrf: str, url: str, **fields: str) -> Any:
    form = FormData({"csrf": csrf, **fields})
    response = await client.post(f"{url}?lang=en", data=form)
    return response.status, await response.json()


async def first_reply(client: TestClient[Any, Any], sender: str) -> str:
    """What a new English customer on the REST channel gets for asking for a trial."""
    return (await Chat(client, sender).texts("/request_trial", metadata={"locale": "en"}))[0]


async def save(
    client: TestClient[Any, Any], csrf: str, form: Any, file: str = "decision.yml"
) -> Any:
    """Save a form as the draft of `file`; the answer's JSON."""
    status, answer = await call(
        client, csrf, "/console/studio/api/save", file=file, form=json.dumps(form)
    )
    assert status == 200, answer
    return answer


async def simulate(client: TestClient[Any, Any], csrf: str, message: str, **fields: str) -> Any:
    """One simulated message (stage decision, English, the draft, unless told otherwise)."""
    fields = {"stage": "decision", "locale": "en", "source": "draft", **fields}
    return await call(client, csrf, "/console/studio/api/simulate", message=message, **fields)


async def test_pages_are_for_marketers_and_admins(services: Components, marketer: Any) -> None:
    page = await marketer.get("/console/studio/decision?lang=en")
    assert page.status == 200 and "studio-boot" in await page.text()
    assert (await marketer.get("/console/studio/nowhere")).status == 404
    start = await marketer.get("/console/studio", allow_redirects=False)
    assert start.headers["Location"] == "/console/studio/awareness?lang=vi"
    support = await fresh_client(services)
    try:
        assert await login(support, "lan") == 302
        assert (await support.get("/console/studio/decision")).status == 403
    finally:
        await support.close()
    forged = await marketer.post("/console/studio/api/save", data={"file": "decision.yml"})
    assert forged.status == 403
    csrf = (await boot(marketer))["csrf"]
    fields = {"csrf": csrf, "file": "decision.yml", "form": "null"}
    assert (await marketer.post("/console/studio/api/save", data=FormData(fields))).status == 400
    script = await marketer.get("/console/static/vendor/codemirror.js")
    assert script.status == 200 and len(await script.read()) > 100_000


async def test_a_draft_is_checked_on_save_and_publishing_reaches_customers(
    client: TestClient[Any, Any], marketer: Any
) -> None:
    data = await boot(marketer)
    csrf, form = data["csrf"], data["form"]
    assert data["problems"] == [] and data["changed"] is False
    assert "Your trial code" in await first_reply(client, "real-customer")

    trial = form["rules"][0]["do"][0]["trial_offer"]
    trial["offer"]["en"] = "Try it free: {{ cod }}"
    answer = await save(marketer, csrf, form)
    assert answer["changed"] is True
    (problem,) = answer["problems"]
    assert problem["path"] == ["rules", 0, "do", 0, "trial_offer", "offer", "en"]
    assert problem["message"].startswith("{{ cod }} cannot be used here.")
    assert next(f for f in answer["files"] if f["name"] == "decision.yml")["errors"] == 1
    status, refused = await call(marketer, csrf, "/console/studio/api/publish", message="x")
    assert status == 409 and refused["error"] == "errors"

    trial["offer"]["en"] = "Try it free with code {{ code }} until {{ expires }}."
    answer = await save(marketer, csrf, form)
    assert answer["problems"] == [] and "Try it free with code" in answer["yaml"]
    assert read_form(answer["yaml"]) == answer["form"] == form
    # The draft is kept across pages, and nobody outside the studio sees it yet.
    assert (await boot(marketer))["form"] == form
    assert "Your trial code" in await first_reply(client, "second-customer")

    status, published = await call(marketer, csrf, "/console/studio/api/publish", message="new")
    assert (status, published) == (200, {"number": 2})
    assert "Try it free with code" in await first_reply(client, "third-customer")
    assert (await boot(marketer))["changed"] is False  # the draft became the live version
    status, again = await call(marketer, csrf, "/console/studio/api/publish", message="x")
    assert status == 409 and again["error"] == "unchanged"


async def test_a_draft_warns_when_someone_published_the_same_page_meanwhile(
    services: Components, marketer: Any
) -> None:
    data = await boot(marketer)
    form = data["form"]
    form["rules"][0]["name"] = "trial_offer"
    await save(marketer, data["csrf"], form)
    live = await services.revisions.current()
    assert live is not None
    other = {**live.files, "decision.yml": live.files["decision.yml"].replace("# About", "# Now")}
    await services.revisions.publish(other, author="boss", message="comment", at=0)
    (warning,) = (await boot(marketer))["problems"]
    assert (warning["file"], warning["severity"]) == ("decision.yml", "warning")
    assert warning["message"].startswith("Someone published a change to this page")
    status, published = await call(marketer, data["csrf"], "/console/studio/api/publish")
    assert (status, published) == (200, {"number": 3})  # a warning does not block


async def test_yaml_saves_and_discarding_a_draft(marketer: Any) -> None:
    data = await boot(marketer, "awareness")
    broken = data["yaml"].replace("rules:\n", "rules: [\n")
    url = "/console/studio/api/save"
    status, answer = await call(marketer, data["csrf"], url, file="awareness.yml", yaml=broken)
    assert status == 200 and answer["form"] is None
    assert answer["problems"][0]["message"].startswith("YAML syntax error")
    url = "/console/studio/api/discard"
    status, answer = await call(marketer, data["csrf"], url, file="awareness.yml")
    assert status == 200 and answer["yaml"] == data["yaml"]
    assert answer["changed"] is False and answer["problems"] == []


async def test_the_simulator_keeps_the_customer_and_explains_each_answer(
    services: Components, marketer: Any
) -> None:
    data = await boot(marketer)
    csrf, form = data["csrf"], data["form"]
    form["rules"][0]["do"][0]["trial_offer"]["offer"]["en"] = "Draft trial {{ code }}"
    await save(marketer, csrf, form)

    status, first = await simulate(marketer, csrf, "/request_trial")
    assert status == 200 and first["stage"] == "decision" and first["locale"] == "en"
    assert first["replies"][0]["text"].startswith("Draft trial TRIAL-")
    buttons = first["replies"][0]["buttons"]
    assert [b["payload"] for b in buttons] == ["/purchase", "/request_discount"]
    (step,) = first["steps"]
    why = (step["intent"], step["confidence"], step["kind"], step["name"], step["where"])
    assert why == ("request_trial", 1.0, "rule", "trial", "decision")
    assert step["actions"] == ["trial_offer"] and first["moves"] == []

    sim = first["sim"]
    status, second = await simulate(marketer, csrf, "/purchase", sim=sim)
    assert second["sim"] == sim and second["stage"] == "onboarding"  # the same customer, moved on
    assert second["steps"][0]["kind"] == "transition" and second["steps"][0]["name"] == "buys"
    move = {"from": "decision", "to": "onboarding", "reason": "transition:buys"}
    assert second["moves"] == [{**move, "on_enter": ["checklist"]}]
    assert second["replies"][-1]["text"].startswith("Step 1/5")

    status, live = await simulate(marketer, csrf, "/greet", sim=sim, source="live")
    assert live["steps"][0]["where"] == "common" and live["steps"][0]["name"] == "greet"

    # Every key of the simulated customer is under its own prefix, and expires.
    base = services.settings.redis_prefix
    prefix = f"{base}:sim:{sim}:"
    keys = [k async for k in services.redis.scan_iter(match=f"{base}:*")]
    others = (f"{base}:console:", f"{base}:{{policies}}", f"{base}:{{login}}")
    assert [k for k in keys if not k.startswith((prefix, *others))] == []
    simulated = [k for k in keys if k.startswith(prefix)]
    assert len(simulated) >= 6
    assert all(0 < ttl <= 3600 for ttl in [await services.redis.ttl(k) for k in simulated])
    url = "/console/studio/api/simulate/reset"
    status, fresh = await call(marketer, csrf, url, old=sim, stage="retention", locale="vi")
    assert fresh["sim"] != sim and (fresh["stage"], fresh["locale"]) == ("retention", "vi")
    assert [k for k in simulated if await services.redis.exists(k)] == []

    url = "/console/studio/api/simulate/customer"
    status, moved = await call(marketer, csrf, url, sim=fresh["sim"], stage="advocacy", locale="en")
    assert (moved["stage"], moved["locale"]) == ("advocacy", "en")

    form["rules"][0]["do"][0]["trial_offer"]["offer"]["en"] = "{{ oops"
    await save(marketer, csrf, form)
    status, refused = await simulate(marketer, csrf, "hi", sim=fresh["sim"])
    assert status == 422 and "The draft has errors" in refused["error"]["message"]


async def test_history_shows_local_times_and_a_side_by_side_diff_and_rollback_needs_a_message(
    client: TestClient[Any, Any], services: Components, marketer: Any
) -> None:
    data = await boot(marketer)
    form = data["form"]
    form["rules"][0]["do"][0]["trial_offer"]["offer"]["en"] = "Brand new offer {{ code }}"
    await save(marketer, data["csrf"], form)
    await call(marketer, data["csrf"], "/console/studio/api/publish", message="new offer")
    page = await (await marketer.get("/console/studio/history?lang=en")).text()
    assert "Local times (Asia/Ho_Chi_Minh)." in page and "new offer" in page
    assert re.search(r"<td>\d\d \w{3} \d{4}, \d\d:\d\d</td><td>mai</td>", page)
    assert (
        '<tr class="changed">' in page
        and "Brand new offer" in page
        and "Changes from revision 1 to 2" in page
    )

    refused = await marketer.post(
        "/console/studio/history/rollback/1?lang=en", data={"csrf": data["csrf"], "message": " "}
    )
    assert refused.status == 400
    assert services.policies.number == 2
    rolled = await marketer.post(
        "/console/studio/history/rollback/1?lang=en",
        data={"csrf": data["csrf"], "message": "the old offer converted better"},
        allow_redirects=False,
    )
    assert rolled.status == 302 and "notice=rolled-back" in rolled.headers["Location"]
    latest = (await services.revisions.history())[-1]
    assert (latest.number, latest.author) == (3, "mai")
    assert latest.message == "rollback to 1: the old offer converted better"
    assert "Your trial code" in await first_reply(client, "after-rollback")


async def test_a_reply_gets_its_yes_and_no_answers_in_the_form(
    client: TestClient[Any, Any], marketer: Any
) -> None:
    data = await boot(marketer)
    csrf, form, original = data["csrf"], data["form"], data["yaml"]
    fields = {f["key"]: f for f in data["actions"]["reply"]["fields"]["fields"]}
    assert fields["yes"]["spec"]["kind"] == fields["no"]["spec"]["kind"] == "payload"
    assert data["names"]["fields"]["ReplyArgs.yes"] == "If the answer is “yes”: the customer"
    reply = form["rules"][4]["do"][0]["reply"]
    reply["yes"], reply["no"] = "/request_trial", "/wrong"
    answer = await save(marketer, csrf, form)
    [problem] = answer["problems"]
    assert problem["path"] == ["rules", 4, "do", 0, "reply", "no"]
    assert "pick an intent" in problem["message"]
    reply["no"] = "/greet"
    answer = await save(marketer, csrf, form)
    assert answer["problems"] == [] and read_form(answer["yaml"]) == form
    assert "yes: /request_trial\n" in answer["yaml"] and "no: /greet\n" in answer["yaml"]
    status, _ = await call(marketer, csrf, "/console/studio/api/publish", message="yes/no")
    assert status == 200
    customer = Chat(client, "hesitant")
    await customer.send("/greet", metadata={"locale": "en"})
    moved = await client.put(
        "/api/users/rest/hesitant/stage", json={"stage": "decision"}, headers=admin_headers()
    )
    assert moved.status == 200
    assert (await customer.texts("/deny", metadata={"locale": "en"}))[0].startswith("No problem")
    [offer] = await customer.texts("/affirm", metadata={"locale": "en"})  # "yes" means a trial
    assert "trial code" in offer
    del reply["yes"], reply["no"]
    assert (await save(marketer, csrf, form))["yaml"] == original  # the same YAML again
