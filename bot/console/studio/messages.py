"""The validator's problems in the marketer's words, Vietnamese and English.

The validator speaks to the CLI's users (`file:line: intent 'x' is not in
nlu/domain.yml`); a marketer needs "the bot does not know what 'x' means". Each known
message shape is matched here; named groups are shown by their human names (`stage`,
`intent`, `field`). An unknown shape keeps its text, after a localised lead-in.
"""

from __future__ import annotations

import re

from bot.console.studio.fields import FIELDS
from bot.console.studio.names import intent_name, pick, stage_name

_Q = r"'(?P<{}>[^']*)'"


def _q(name: str) -> str:
    return _Q.format(name)


_SHAPES: list[tuple[str, str, str]] = [
    (
        rf"intent {_q('intent')} is not in nlu/domain\.yml",
        "Bot chưa được dạy ý định “{intent}”: chọn một ý định trong danh sách.",
        "The bot has not been taught “{intent}”: pick an intent from the list.",
    ),
    (
        rf"unknown variable {_q('name')} in template; known here: (?P<known>.*)",
        "Không dùng được biến {{{{ {name} }}}} ở đây. Dùng được: {known}.",
        "{{{{ {name} }}}} cannot be used here. Available: {known}.",
    ),
    (
        r"template syntax error: (?P<detail>.*)",
        "Lỗi cú pháp trong mẫu tin nhắn (kiểm tra các cặp {{{{ }}}} và {{% %}}): {detail}",
        "Template syntax error (check the {{{{ }}}} and {{% %}} pairs): {detail}",
    ),
    (
        rf"missing translation {_q('locale')}",
        "Thiếu bản {locale}.",
        "The {locale} text is missing.",
    ),
    (rf"missing field {_q('field')}", "Thiếu mục “{field}”.", "“{field}” is missing."),
    (
        rf"unknown field {_q('field')}",
        "Mục “{field}” không dùng được ở đây.",
        "“{field}” does not belong here.",
    ),
    (
        rf"unknown action {_q('action')}; known actions: .*",
        "Không có hành động “{action}”.",
        "There is no action “{action}”.",
    ),
    (
        r"an action is a mapping with one key.*",
        "Mỗi hành động chỉ có đúng một loại.",
        "Each action has exactly one kind.",
    ),
    (
        rf"unknown stage {_q('stage')}; expected one of: .*",
        "Không có giai đoạn “{stage}”.",
        "There is no stage “{stage}”.",
    ),
    (
        rf"stage is {_q('stage')} but the file is for {_q('stage2')}",
        "Tệp này dành cho giai đoạn {stage2}, không phải {stage}.",
        "This file is for the {stage2} stage, not {stage}.",
    ),
    (
        rf"stage {_q('stage')} cannot be reached from {_q('stage2')}.*",
        "Không quy tắc nào đưa khách tới giai đoạn {stage}.",
        "No rule, move or action brings a customer to the {stage} stage.",
    ),
    (
        rf"rule {_q('rule')} is never used: rule {_q('other')} before it matches whenever it does",
        "Quy tắc “{rule}” không bao giờ được dùng: quy tắc “{other}” phía trên luôn khớp trước.",
        "Rule “{rule}” is never used: rule “{other}” above it always matches first.",
    ),
    (
        rf"two rules are named {_q('rule')}",
        "Có hai quy tắc cùng tên “{rule}”.",
        "Two rules are named “{rule}”.",
    ),
    (
        rf"plan {_q('plan')} is not in the catalog; plans: (?P<known>.*)",
        "Gói “{plan}” không có trong bảng giá (các gói: {known}).",
        "Plan “{plan}” is not in the catalog (plans: {known}).",
    ),
    (
        r"the checklist action needs a `checklist:` section in this file",
        "Hành động danh sách việc cần phần “Danh sách việc cần làm” trong giai đoạn này.",
        "The checklist action needs this stage's checklist section.",
    ),
    (
        r"payload is (?P<size>\d+) bytes; Telegram allows (?P<limit>\d+)",
        "Nút quá dài ({size} byte; Telegram cho phép {limit}).",
        "The button's action is too long ({size} bytes; Telegram allows {limit}).",
    ),
    (
        r"a meaning is a payload starting with '/'.*",
        "Câu trả lời “có”/“không” dẫn tới một ý định bắt đầu bằng “/”: chọn trong danh sách.",
        "A “yes”/“no” answer leads to an intent starting with “/”: pick one from the list.",
    ),
    (
        r"/(?P<intent>[^:{]*)(?:\{.*\})?: no such intent",
        "Bot chưa được dạy ý định “{intent}”: chọn một ý định trong danh sách.",
        "The bot has not been taught “{intent}”: pick an intent from the list.",
    ),
    (
        r"payload must start with '/'.*",
        "Hành động của nút phải bắt đầu bằng “/”, ví dụ /ask_price.",
        "A button's action starts with “/”, e.g. /ask_price.",
    ),
    (
        r"a rule needs at least one condition",
        "Quy tắc cần ít nhất một điều kiện.",
        "A rule needs at least one condition.",
    ),
    (
        r"(?P<value>'[^']*'|\S+) is not a duration like .*",
        "{value} không phải khoảng thời gian (ví dụ 30m, 6h, 2d, -2d).",
        "{value} is not a delay like 30m, 6h, 2d or -2d.",
    ),
    (
        r"YAML syntax error: (?P<detail>.*)",
        "Lỗi cú pháp YAML: {detail}",
        "YAML syntax error: {detail}",
    ),
    (
        r"Input should be greater than or equal to (?P<n>\S+)",
        "Cần một số từ {n} trở lên.",
        "Must be at least {n}.",
    ),
    (
        r"Input should be less than or equal to (?P<n>\S+)",
        "Cần một số không quá {n}.",
        "Must be at most {n}.",
    ),
    (r"Input should be a valid (integer|number).*", "Cần một số.", "Must be a number."),
    (
        r"Input should be a valid (string|dictionary|list|boolean).*",
        "Giá trị không đúng kiểu.",
        "This value has the wrong type.",
    ),
    (r"Input should be (?P<options>'.*)", "Chọn một trong: {options}.", "Pick one of: {options}."),
    (r"List should have at least 1 item.*", "Cần ít nhất một mục.", "At least one item is needed."),
    (
        r"String should match pattern '\^\[A-Z0-9\].*",
        "Mã gồm 3–32 chữ IN HOA, số, - hoặc _.",
        "Codes are 3–32 CAPITAL letters, digits, - or _.",
    ),
    (
        r"String should match pattern .*",
        "Chỉ dùng chữ thường không dấu, số và _, bắt đầu bằng chữ.",
        "Use lower-case letters, digits and _, starting with a letter.",
    ),
]

_COMPILED = [(re.compile(f"^{p}$", re.DOTALL), vi, en) for p, vi, en in _SHAPES]
_LOCALES = {"vi": ("tiếng Việt", "Vietnamese"), "en": ("tiếng Anh", "English")}


def localise(message: str, lang: str) -> str:
    """`message` (the validator's) for a marketer reading `lang`."""
    for pattern, vi, en in _COMPILED:
        match = pattern.match(message)
        if match is not None:
            groups = {k: _human(k, v, lang) for k, v in match.groupdict().items()}
            return (en if lang == "en" else vi).format(**groups)
    lead = "Problem" if lang == "en" else "Lỗi"
    return f"{lead}: {message.replace('nlu/domain.yml', 'the NLU')}"


def _human(group: str, value: str | None, lang: str) -> str:
    if value is None:
        return ""
    if group in ("stage", "stage2"):
        return stage_name(value, lang)
    if group == "intent":
        return intent_name(value, lang)
    if group == "field":
        return _field(value, lang)
    if group == "locale" and value in _LOCALES:
        return pick(_LOCALES[value], lang)
    return value


def _field(key: str, lang: str) -> str:
    label = next((pair for name, pair in FIELDS.items() if name.endswith(f".{key}")), None)
    return pick(label, lang) if label else key
