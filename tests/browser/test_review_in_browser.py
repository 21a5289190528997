"""A marketer labels what the bot did not understand, in a real Chromium (Vietnamese UI).

The queue is grouped by the closest intent with counts; "this meant…" adds the text to
the reviewed training data, "ignore" drops it, a held-out test message is refused, and
the page says how many examples wait for the next training until a model of the data
as it now is exists. Each test labels into its own copy of the Rasa project.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from pydantic import SecretStr

from bot.config import Settings
from bot.console.accounts import Role
from bot.nlu.parse import Parse
from bot.nlu.project_hash import nlu_project_hash
from bot.nlu.reviewed import read_reviewed
from bot.nlu.training import cached_model
from bot.store.misunderstood import MisunderstoodLog
from bot.wiring import Components
from tests.browser.conftest import screenshot_path
from tests.browser.staff import PASSWORD, log_in, no_sideways_scroll, site
from tests.conftest import ADMIN_TOKEN, REDIS_URL, ROOT
from tests.nlu.test_review import keep_said

HELDOUT_TEXT = "bảng giá phần mềm kho thế nào vậy shop"


@pytest.fixture
def settings(prefix: str, tmp_path: Path) -> Settings:
    """The suite's settings, with a copy of the Rasa project and an empty model cache."""
    nlu_dir = tmp_path / "nlu"
    (nlu_dir / "tests").mkdir(parents=True)
    for name in ("config.yml", "domain.yml"):
        shutil.copyfile(ROOT / "nlu" / name, nlu_dir / name)
    shutil.copytree(ROOT / "nlu" / "data", nlu_dir / "data")
    heldout = f"intent\tlang\ttext\nask_price\tvi\t{HELDOUT_TEXT}\n"
    (nlu_dir / "tests" / "heldout.tsv").write_text(heldout, encoding="utf-8")
    return Settings(
        _env_file=None,
        redis_url=REDIS_URL,
        redis_prefix=prefix,
        data_dir=tmp_path / "data",
        cache_dir=tmp_path / "cache",
        nlu_dir=nlu_dir,
        admin_token=SecretStr(ADMIN_TOKEN),
        policies_dir=ROOT / "stage_policies",
        nlu_enabled=False,
    )


def unsure(*guesses: tuple[str, float]) -> Parse:
    return Parse("nlu_fallback", 0.4, ranking=(("nlu_fallback", 0.4), *guesses))


async def keep_what_customers_said(services: Components) -> None:
    log = MisunderstoodLog.from_settings(services.redis, services.settings)
    said = [
        ("gói này nhiêu tiền z", unsure(("ask_price", 0.55), ("compare_plans", 0.2))),
        ("goi nay nhieu tien z", unsure(("ask_price", 0.5))),
        ("cho mình xài thử free đc ko", unsure(("request_trial", 0.45))),
        ("asdfgh", Parse("nlu_fallback", 0.9, ranking=(("nlu_fallback", 0.9),))),
        (HELDOUT_TEXT, unsure(("ask_price", 0.6))),
    ]
    await keep_said(log, *said, since=services.broadcasts.now() - 3600, customer="rest:c")


async def label(page: Any, text: str, intent: str | None) -> str:
    """Label the item showing `text` ("this meant" `intent`, or ignore); the notice."""
    item = page.locator(".review-item", has=page.locator(f".said:text('{text}')"))
    if intent is None:
        await item.locator("button[name=ignore]").click()
    else:
        await item.locator("select[name=label]").select_option(label=intent)
        await item.locator("button.save").click()
    await page.wait_for_selector("#notice")
    notice: str = await page.inner_text("#notice")
    return notice


async def test_a_marketer_labels_what_the_bot_did_not_understand(
    client: TestClient[Any, Any], services: Components, browser_page: Any
) -> None:
    page = browser_page
    base = site(client)
    await keep_what_customers_said(services)
    await services.accounts.add("mai", Role.MARKETER, PASSWORD, by="test")
    await page.set_viewport_size({"width": 1280, "height": 900})
    await log_in(page, base, "mai")
    await page.goto(f"{base}/console/analytics?lang=vi")
    await page.click("header a:text-is('Bot chưa hiểu')")
    status = page.locator("#review-status")
    assert "5 tin nhắn chờ xem" in await status.inner_text()
    assert "0 ví dụ đã gán nhãn chờ lần huấn luyện tới" in await status.inner_text()
    groups = await page.locator("section.group h2").all_inner_texts()
    assert groups[0] == "Gần nhất với: hỏi giá (3 tin)"  # the largest group first
    assert "Bot không đoán được (1 tin)" in groups
    first = page.locator(".review-item").first
    assert "× 2" in await first.inner_text()  # the same words, with and without accents
    assert "“goi nay nhieu tien z”" in await first.inner_text()  # as last written
    assert "bot đoán: hỏi giá 50%" in await first.inner_text()
    await page.screenshot(path=screenshot_path("review-1-queue"), full_page=True)

    notice = await label(page, "goi nay nhieu tien z", "hỏi giá")
    assert notice == "Đã lưu: “goi nay nhieu tien z” nghĩa là “hỏi giá”."
    notice = await label(page, "cho mình xài thử free đc ko", "xin dùng thử")
    assert "nghĩa là “xin dùng thử”" in notice
    assert await label(page, "asdfgh", None) == "Đã bỏ qua “asdfgh”."
    refused = await label(page, HELDOUT_TEXT, "hỏi giá")
    assert "nằm trong bộ câu kiểm tra" in refused
    await page.screenshot(path=screenshot_path("review-2-labelled"), full_page=True)
    assert "1 tin nhắn chờ xem" in await status.inner_text()  # the held-out one stays
    assert "2 ví dụ đã gán nhãn chờ lần huấn luyện tới" in await status.inner_text()

    reviewed = read_reviewed(services.settings.nlu_dir)
    assert "goi nay nhieu tien z" in reviewed["ask_price"]
    assert reviewed["request_trial"] == ["cho mình xài thử free đc ko"]
    assert "asdfgh" not in str(reviewed) and HELDOUT_TEXT not in str(reviewed)

    # Training makes a model of the data as it is now: nothing waits any more.
    model = cached_model(services.settings, nlu_project_hash(services.settings.nlu_dir))
    model.parent.mkdir(parents=True)
    model.write_bytes(b"a trained model")
    await page.goto(f"{base}/console/review?lang=vi")
    assert "mô hình đã học mọi ví dụ đã gán nhãn" in await status.inner_text()
    await page.set_viewport_size({"width": 390, "height": 844})
    assert await no_sideways_scroll(page)
    await page.screenshot(path=screenshot_path("review-3-phone"), full_page=True)
