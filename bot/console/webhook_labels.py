"""The webhook page's words in Vietnamese and English, and what each event type means."""

from __future__ import annotations

from bot.locale import page_locale

# What the admin ticks: each event type with a sentence a non-developer understands.
EVENT_MEANINGS: dict[str, tuple[str, str]] = {
    "*": ("Mọi sự kiện, kể cả loại được thêm sau này", "Every event, including types added later"),
    "stage.changed": ("Khách chuyển sang giai đoạn khác", "A customer moved to another stage"),
    "handoff.opened": ("Cuộc trò chuyện được chuyển cho nhân viên", "A chat was handed to staff"),
    "handoff.closed": ("Nhân viên trả cuộc trò chuyện lại cho bot", "Staff handed a chat back"),
    "nps.recorded": ("Khách chấm điểm NPS (0–10)", "A customer answered the NPS question (0–10)"),
    "csat.recorded": ("Khách chấm điểm buổi hỗ trợ (1–5)", "A customer rated their support (1–5)"),
    "trial.started": ("Khách bắt đầu dùng thử", "A customer started a trial"),
    "referral.credited": ("Một lượt giới thiệu được thưởng", "A referral earned its reward"),
    "customer.opted_out": ("Khách tắt tin nhắn chủ động", "A customer turned off bot messages"),
    "customer.linked": (
        "Hai tài khoản chat được gộp thành một khách",
        "Two chat accounts became one customer",
    ),
    "churn_risk": (
        "Khách có nguy cơ rời bỏ (muốn huỷ, hoặc chấm NPS thấp)",
        "A customer may leave (wants to cancel, or a low NPS)",
    ),
    "webhook.test": ("Sự kiện thử từ bảng điều khiển", "A test event from the console"),
}

STATUSES: dict[str, tuple[str, str]] = {
    "pending": ("Chờ gửi", "Waiting"),
    "retrying": ("Đang thử lại", "Retrying"),
    "delivered": ("Đã nhận", "Delivered"),
    "failed": ("Thất bại", "Failed"),
}

_WORDS: dict[str, dict[str, str]] = {
    "vi": {
        "webhooks": "Webhook",
        "intro": "Gửi sự kiện của khách sang CRM của bạn. Mỗi lần gửi được ký bằng khoá bí mật "
        "của địa chỉ nhận; gửi lỗi sẽ được thử lại trong 24 giờ.",
        "endpoints": "Địa chỉ nhận",
        "url": "Địa chỉ (URL)",
        "events": "Sự kiện",
        "state": "Trạng thái",
        "last_delivery": "Lần gửi gần nhất",
        "enabled": "Đang bật",
        "disabled": "Đang tắt",
        "never": "Chưa gửi lần nào",
        "none_yet": "Chưa có địa chỉ nhận nào.",
        "add": "Thêm địa chỉ nhận",
        "description": "Ghi chú (tuỳ chọn)",
        "description_hint": "Ví dụ: HubSpot, môi trường thật",
        "choose_events": "Gửi những sự kiện nào?",
        "save": "Thêm",
        "fix_first": "Chưa thêm được: hãy sửa các lỗi được đánh dấu.",
        "url_needed": "Nhập địa chỉ nhận.",
        "events_needed": "Chọn ít nhất một sự kiện.",
        "description_long": "Ghi chú tối đa 200 ký tự.",
        "secret": "Khoá bí mật",
        "secret_once": "Đây là lần duy nhất khoá bí mật được hiển thị. Hãy sao chép và lưu vào "
        "CRM của bạn ngay để kiểm tra chữ ký.",
        "copy": "Sao chép",
        "copied": "Đã sao chép",
        "rotate": "Đổi khoá bí mật",
        "rotate_confirm": "Đổi khoá bí mật? Khoá cũ ngừng dùng ngay, CRM cần khoá mới.",
        "disable": "Tắt",
        "enable": "Bật",
        "delete": "Xoá",
        "delete_confirm": "Xoá địa chỉ nhận này? Sự kiện đang chờ gửi tới nó sẽ bị huỷ.",
        "test": "Gửi sự kiện thử",
        "log": "Nhật ký gửi",
        "added": "Đã thêm địa chỉ nhận.",
        "rotated": "Đã đổi khoá bí mật.",
        "now_enabled": "Đã bật địa chỉ nhận.",
        "now_disabled": "Đã tắt: sự kiện mới không được gửi tới địa chỉ này.",
        "deleted": "Đã xoá địa chỉ nhận.",
        "test_queued": "Đã xếp sự kiện thử vào hàng gửi.",
        "replayed": "Đã xếp lại sự kiện vào hàng gửi.",
        "gone": "Địa chỉ nhận này không còn nữa.",
        "delivery_gone": "Lần gửi này không còn (chỉ giữ 30 ngày).",
        "back": "Về danh sách webhook",
        "refresh": "Tải lại",
        "created": "Lúc tạo",
        "event": "Sự kiện",
        "attempts": "Số lần thử",
        "last_error": "Lỗi gần nhất",
        "last_try": "Lần thử gần nhất",
        "next_try": "Thử lại lúc",
        "replay": "Gửi lại",
        "replay_of": "gửi lại",
        "no_deliveries": "Chưa có lần gửi nào. Bấm «Gửi sự kiện thử» để kiểm tra.",
        "all_events": "mọi sự kiện",
        "edit": "Sửa",
        "edit_title": "Sửa địa chỉ nhận",
        "edit_intro": "Khoá bí mật giữ nguyên: CRM không cần đổi gì để kiểm tra chữ ký.",
        "fix_first_edit": "Chưa lưu được: hãy sửa các lỗi được đánh dấu.",
        "save_changes": "Lưu thay đổi",
        "cancel": "Huỷ",
        "updated": "Đã lưu thay đổi của địa chỉ nhận.",
    },
    "en": {
        "webhooks": "Webhooks",
        "intro": "Send customer events to your CRM. Every delivery is signed with the "
        "endpoint's secret; failed ones are retried for 24 hours.",
        "endpoints": "Endpoints",
        "url": "URL",
        "events": "Events",
        "state": "State",
        "last_delivery": "Last delivery",
        "enabled": "On",
        "disabled": "Off",
        "never": "Nothing sent yet",
        "none_yet": "No endpoint yet.",
        "add": "Add an endpoint",
        "description": "Note (optional)",
        "description_hint": "For example: HubSpot, production",
        "choose_events": "Which events to send?",
        "save": "Add",
        "fix_first": "Not added: fix the marked problems.",
        "url_needed": "Enter the receiver's URL.",
        "events_needed": "Choose at least one event.",
        "description_long": "A note is at most 200 characters.",
        "secret": "Secret",
        "secret_once": "This is the only time the secret is shown. Copy it into your CRM now "
        "to check the signatures.",
        "copy": "Copy",
        "copied": "Copied",
        "rotate": "New secret",
        "rotate_confirm": "Make a new secret? The old one stops working at once; your CRM "
        "needs the new one.",
        "disable": "Turn off",
        "enable": "Turn on",
        "delete": "Delete",
        "delete_confirm": "Delete this endpoint? Events still waiting for it are dropped.",
        "test": "Send a test event",
        "log": "Delivery log",
        "added": "Endpoint added.",
        "rotated": "New secret made.",
        "now_enabled": "Endpoint turned on.",
        "now_disabled": "Turned off: new events are not sent to this endpoint.",
        "deleted": "Endpoint deleted.",
        "test_queued": "Test event queued.",
        "replayed": "Event queued again.",
        "gone": "This endpoint no longer exists.",
        "delivery_gone": "This delivery is gone (kept 30 days).",
        "back": "Back to webhooks",
        "refresh": "Refresh",
        "created": "Created",
        "event": "Event",
        "attempts": "Attempts",
        "last_error": "Last error",
        "last_try": "Last attempt",
        "next_try": "Next attempt",
        "replay": "Replay",
        "replay_of": "replay",
        "no_deliveries": "Nothing sent yet. Press “Send a test event” to check the receiver.",
        "all_events": "all events",
        "edit": "Edit",
        "edit_title": "Edit the endpoint",
        "edit_intro": "The secret stays the same: your CRM needs no change to check signatures.",
        "fix_first_edit": "Not saved: fix the marked problems.",
        "save_changes": "Save changes",
        "cancel": "Cancel",
        "updated": "Endpoint changes saved.",
    },
}

# The URL checker's problems (`bot/webhooks/endpoints.py`), in Vietnamese.
URL_PROBLEMS_VI = {
    "Not a URL.": "Đây không phải một địa chỉ URL.",
    "A URL starts with https:// and names a host.": "Địa chỉ bắt đầu bằng https:// và có tên máy.",
    "Use https:// (plain http:// only for localhost, while developing).": (
        "Hãy dùng https:// (http:// chỉ dùng cho localhost khi phát triển)."
    ),
}


def webhook_words(lang: str) -> dict[str, str]:
    """The words for `lang` (`vi` or `en`)."""
    return _WORDS[page_locale(lang)]


def meaning(pair: tuple[str, str], lang: str) -> str:
    """The Vietnamese or English half of `pair`."""
    return pair[1] if page_locale(lang) == "en" else pair[0]
