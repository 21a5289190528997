"""The admin's webhooks page over HTTP: add an endpoint, its secret once, test, log, replay."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from bot.console.accounts import Accounts, Role
from bot.webhooks.signing import SIGNATURE_HEADER, verify
from bot.wiring import Components
from tests.conftest import Chat, admin_headers
from tests.console.test_console import PASSWORD, fresh_client, login
from tests.fakes.clock import Clock
from tests.fakes.crm_server import Crm, crm_server

pytestmark = pytest.mark.usefixtures("morning")


@pytest.fixture
async def crm() -> AsyncIterator[Crm]:
    async with crm_server() as server:
        yield server


@pytest.fixture
async def accounts(services: Components) -> Accounts:
    for name, role in (("mai", Role.MARKETER), ("boss", Role.ADMIN)):
        await services.accounts.add(name, role, PASSWORD, by="test")
    return services.accounts


@pytest.fixture
async def admin(services: Components, accounts: Accounts) -> AsyncIterator[TestClient[Any, Any]]:
    client = await fresh_client(services)
    assert await login(client, "boss") == 302
    try:
        yield client
    finally:
        await client.close()


async def page(client: TestClient[Any, Any], path: str = "/console/webhooks?lang=en") -> str:
    response = await client.get(path)
    assert response.status == 200, await response.text()
    return await response.text()


def csrf(text: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', text)
    assert match
    return match.group(1)


async def add(
    client: TestClient[Any, Any], url: str, events: list[str], note: str = ""
) -> aiohttp.ClientResponse:
    token = csrf(await page(client))
    form = [("csrf", token), ("url", url), ("description", note)]
    form += [("events", e) for e in events]
    return await client.post("/console/webhooks?lang=en", data=form)


async def post(client: TestClient[Any, Any], path: str) -> aiohttp.ClientResponse:
    token = csrf(await page(client))
    return await client.post(path, data={"csrf": token})


def secret_shown(text: str) -> str | None:
    match = re.search(r'<code id="secret-value">([^<]+)</code>', text)
    return None if match is None else html.unescape(match.group(1))


async def only_endpoint(services: Components) -> str:
    [endpoint] = await services.customer_data.endpoints.all()
    return endpoint.id


async def test_an_admin_adds_an_endpoint_and_sees_its_secret_once(
    admin: TestClient[Any, Any], services: Components, accounts: Accounts, crm: Crm,
) -> None:  # fmt: skip
    before = await page(admin)
    assert "No endpoint yet." in before
    for name in ("stage.changed", "churn_risk", "*"):
        assert f'name="events" value="{name}"' in before
    assert "A customer may leave" in before  # each event says what it means
    response = await add(admin, crm.url, ["stage.changed", "nps.recorded"], "HubSpot")
    assert response.status == 200 and str(response.url).endswith("/console/webhooks?lang=en")
    shown = await response.text()
    assert "Endpoint added." in shown and "This is the only time the secret is shown" in shown
    secret = secret_shown(shown)
    endpoint = (await services.customer_data.endpoints.all())[0]
    assert secret is not None and secret == endpoint.secret and secret.startswith("whsec_")
    again = await page(admin)
    assert secret_shown(again) is None and secret not in again  # once only
    assert crm.url in again and "HubSpot" in again and "Nothing sent yet" in again
    assert re.search(
        r'<span class="chip">stage.changed</span><span class="chip">nps.recorded', again
    )
    assert "webhook" in (await accounts.audit_log(1))[0]["what"]
    assert secret not in str(await accounts.audit_log(5))


@pytest.mark.parametrize(
    ("url", "events", "problems"),
    [
        ("http://crm.example.com/hooks", ["stage.changed"], ["Use https://"]),
        ("", ["stage.changed"], ["Enter the receiver"]),
        ("crm.example.com/hooks", [], ["A URL starts with https://", "Choose at least one event"]),
    ],
)
async def test_a_mistake_comes_back_with_what_was_typed(
    admin: TestClient[Any, Any], services: Components, url: str, events: list[str],
    problems: list[str],
) -> None:  # fmt: skip
    response = await add(admin, url, events, "my note")
    assert response.status == 422
    text = await response.text()
    assert "Not added: fix the marked problems." in text
    for problem in problems:
        assert problem in text
    assert f'value="{url}"' in text and 'value="my note"' in text
    for name in events:
        assert f'value="{name}" checked' in text
    assert 'aria-invalid="true"' in text
    assert await services.customer_data.endpoints.all() == []


async def test_problems_are_in_vietnamese_on_the_vietnamese_page(
    admin: TestClient[Any, Any],
) -> None:
    token = csrf(await page(admin, "/console/webhooks"))
    response = await admin.post(
        "/console/webhooks", data={"csrf": token, "url": "http://crm.example.com/x"}
    )
    text = await response.text()
    assert response.status == 422
    assert "Hãy dùng https://" in text and "Chọn ít nhất một sự kiện." in text


async def test_only_admins_see_and_use_the_page(
    services: Components,
    accounts: Accounts,
    admin: TestClient[Any, Any],
) -> None:
    assert 'href="/console/webhooks?lang=en">Webhooks</a>' in await page(admin)
    marketer = await fresh_client(services)
    try:
        assert await login(marketer, "mai") == 302
        assert (await marketer.get("/console/webhooks")).status == 403
        studio = await (await marketer.get("/console/campaigns?lang=en")).text()
        assert "/console/webhooks" not in studio
        token = csrf(studio)
        forged = await marketer.post(
            "/console/webhooks", data={"csrf": token, "url": "https://x.example", "events": "*"}
        )
        assert forged.status == 403
    finally:
        await marketer.close()
    no_token = await admin.post(
        "/console/webhooks", data={"url": "https://x.example", "events": "*"}
    )
    assert no_token.status == 403
    assert await services.customer_data.endpoints.all() == []


async def test_a_test_event_its_failure_and_a_replay_in_the_log(
    admin: TestClient[Any, Any], services: Components, crm: Crm, clock: Clock,
) -> None:  # fmt: skip
    secret = secret_shown(await (await add(admin, crm.url, ["*"])).text())
    endpoint_id = await only_endpoint(services)
    sent = await post(admin, f"/console/webhooks/{endpoint_id}/test?lang=en")
    assert str(sent.url).endswith(f"/console/webhooks/{endpoint_id}?lang=en")
    assert "Test event queued." in await sent.text()
    async with aiohttp.ClientSession() as session:
        assert await services.customer_data.sender.deliver_due(session) == 1
        [got] = crm.received
        assert got.json["type"] == "webhook.test" and got.json["customer"] is None
        assert secret and verify(secret, got.headers[SIGNATURE_HEADER], got.body, clock.now)
        log = await page(admin, f"/console/webhooks/{endpoint_id}?lang=en")
        assert re.search(r'data-status="delivered"', log) and "Delivered" in log
        crm.failures = [500] * 10
        await post(admin, f"/console/webhooks/{endpoint_id}/test?lang=en")
        await services.customer_data.sender.deliver_due(session)
        log = await page(admin, f"/console/webhooks/{endpoint_id}?lang=en")
        assert "Retrying" in log and "HTTP 500" in log and "Next attempt" in log
        listing = await page(admin)
        assert "Retrying" in listing and "HTTP 500" in listing  # the list shows the last one
        failed = re.findall(r'data-delivery="(wd_\w+)" data-status="retrying"', log)[0]
        crm.failures = []
        replayed = await post(admin, f"/console/webhooks/deliveries/{failed}/replay?lang=en")
        assert "Event queued again." in await replayed.text()
        clock.advance(11)  # the retrying one is due again, the replay waits behind it
        while await services.customer_data.sender.deliver_due(session):
            pass
    log = await page(admin, f"/console/webhooks/{endpoint_id}?lang=en")
    assert log.count('data-status="delivered"') == 3 and "replay" in log
    assert len({r.json["id"] for r in crm.received}) == 2  # the replay is the same event


async def test_turning_off_a_new_secret_and_deleting(
    admin: TestClient[Any, Any], services: Components, crm: Crm, chat: Chat, clock: Clock,
    client: TestClient[Any, Any],
) -> None:  # fmt: skip
    first = secret_shown(await (await add(admin, crm.url, ["stage.changed"])).text())
    endpoint_id = await only_endpoint(services)
    off = await post(admin, f"/console/webhooks/{endpoint_id}/disable?lang=en")
    assert "Turned off" in await off.text() and ">Off<" in await page(admin)
    await chat.send("/request_trial")  # a stage move while off: nothing queued
    assert await services.customer_data.deliveries.log(endpoint_id) == []
    await post(admin, f"/console/webhooks/{endpoint_id}/enable?lang=en")
    rotated = await post(admin, f"/console/webhooks/{endpoint_id}/rotate?lang=en")
    second = secret_shown(await rotated.text())
    assert second and second != first and "New secret made." in await rotated.text()
    response = await client.put(
        f"/api/users/rest/{chat.sender}/stage", json={"stage": "onboarding"},
        headers=admin_headers(),
    )  # fmt: skip
    assert response.status == 200
    async with aiohttp.ClientSession() as session:
        assert await services.customer_data.sender.deliver_due(session) == 1
    [got] = crm.received
    assert verify(second, got.headers[SIGNATURE_HEADER], got.body, clock.now)
    assert first and not verify(first, got.headers[SIGNATURE_HEADER], got.body, clock.now)
    deleted = await post(admin, f"/console/webhooks/{endpoint_id}/delete?lang=en")
    assert "Endpoint deleted." in await deleted.text()
    assert await services.customer_data.endpoints.all() == []
    gone = await post(admin, f"/console/webhooks/{endpoint_id}/test?lang=en")
    assert gone.status == 404


async def test_an_admin_edits_an_endpoint_and_its_secret_stays(
    admin: TestClient[Any, Any], services: Components, accounts: Accounts, crm: Crm,
) -> None:  # fmt: skip
    secret = secret_shown(await (await add(admin, crm.url, ["stage.changed"], "HubSpot")).text())
    endpoint_id = await only_endpoint(services)
    assert f'href="/console/webhooks/{endpoint_id}/edit?lang=en">Edit</a>' in await page(admin)
    form = await page(admin, f"/console/webhooks/{endpoint_id}/edit?lang=en")
    assert f'value="{crm.url}"' in form and 'value="HubSpot"' in form  # prefilled
    assert 'value="stage.changed" checked' in form and 'value="churn_risk" checked' not in form
    edit = f"/console/webhooks/{endpoint_id}/edit?lang=en"
    wrong = [("csrf", csrf(form)), ("url", "http://crm.example.com/x"), ("description", "New")]
    refused = await admin.post(edit, data=wrong)
    assert refused.status == 422
    text = await refused.text()
    assert "Not saved: fix the marked problems." in text and "Use https://" in text
    assert "Choose at least one event" in text and 'value="New"' in text
    [unchanged] = await services.customer_data.endpoints.all()
    assert unchanged.url == crm.url and unchanged.description == "HubSpot"
    new_url = crm.url + "/v2"
    right = [("csrf", csrf(form)), ("url", new_url), ("description", "HubSpot v2")]
    saved = await admin.post(edit, data=[*right, ("events", "churn_risk"), ("events", "*")])
    assert saved.status == 200 and str(saved.url).endswith("/console/webhooks?lang=en")
    listing = await saved.text()
    assert "Endpoint changes saved." in listing and new_url in listing and "HubSpot v2" in listing
    assert secret_shown(listing) is None
    [endpoint] = await services.customer_data.endpoints.all()
    assert (endpoint.id, endpoint.url, endpoint.events) == (
        endpoint_id,
        new_url,
        ("churn_risk", "*"),
    )
    assert endpoint.secret == secret and endpoint.enabled
    assert f"webhook {endpoint_id} changed" in (await accounts.audit_log(1))[0]["what"]
    assert (await admin.get(f"/console/webhooks/we_{'0' * 16}/edit?lang=en")).status == 404


async def test_a_marketer_cannot_edit_an_endpoint(
    admin: TestClient[Any, Any], services: Components, crm: Crm,
) -> None:  # fmt: skip
    await add(admin, crm.url, ["*"])
    endpoint_id = await only_endpoint(services)
    marketer = await fresh_client(services)
    try:
        assert await login(marketer, "mai") == 302
        assert (await marketer.get(f"/console/webhooks/{endpoint_id}/edit")).status == 403
        token = csrf(await (await marketer.get("/console/campaigns?lang=en")).text())
        forged = await marketer.post(
            f"/console/webhooks/{endpoint_id}/edit",
            data={"csrf": token, "url": "https://evil.example", "events": "*"},
        )
        assert forged.status == 403
    finally:
        await marketer.close()
    [endpoint] = await services.customer_data.endpoints.all()
    assert endpoint.url == crm.url
