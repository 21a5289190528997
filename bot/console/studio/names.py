"""Human names of the policy's terms, Vietnamese first: stages, intents, actions, choices.

Intents read after "When the customer …" ("Khi khách …"), so a rule card says "When the
customer asks about prices". A term missing here is shown by its id, never hidden.
"""

from __future__ import annotations

from bot.lifecycle import Locale

Pair = tuple[str, str]  # (vi, en)

STAGES: dict[str, Pair] = {
    "awareness": ("Nhận biết", "Awareness"),
    "consideration": ("Cân nhắc", "Consideration"),
    "decision": ("Quyết định", "Decision"),
    "onboarding": ("Làm quen", "Onboarding"),
    "retention": ("Giữ chân", "Retention"),
    "advocacy": ("Lan tỏa", "Advocacy"),
}

FILES: dict[str, Pair] = {
    "common.yml": ("Quy tắc chung", "Common rules"),
    "catalog.yml": ("Bảng giá & gói", "Catalog & plans"),
    "events.yml": ("Sự kiện sản phẩm", "Product events"),
}

INTENTS: dict[str, Pair] = {
    "greet": ("chào hỏi", "says hello"),
    "goodbye": ("chào tạm biệt", "says goodbye"),
    "thank": ("cảm ơn", "says thank you"),
    "affirm": ("đồng ý (vâng, ok)", "says yes"),
    "deny": ("từ chối (không)", "says no"),
    "ask_product_info": ("hỏi về sản phẩm", "asks about the product"),
    "ask_price": ("hỏi giá", "asks about prices"),
    "compare_plans": ("muốn so sánh các gói", "compares plans"),
    "request_trial": ("xin dùng thử", "asks for a trial"),
    "request_discount": ("xin giảm giá", "asks for a discount"),
    "purchase": ("muốn mua", "wants to buy"),
    "onboarding_help": ("cần hướng dẫn cài đặt", "needs help setting up"),
    "report_problem": ("báo lỗi", "reports a problem"),
    "give_feedback": ("muốn góp ý", "wants to give feedback"),
    "ask_referral": ("hỏi về giới thiệu bạn bè", "asks about referrals"),
    "request_human": ("muốn gặp nhân viên", "asks for a person"),
    "stop_messages": ("muốn ngừng nhận tin", "wants no more messages"),
    "cancel_service": ("muốn hủy dịch vụ", "wants to cancel the service"),
    "out_of_scope": ("hỏi ngoài phạm vi", "asks something off-topic"),
    "nlu_fallback": ("nói điều bot không hiểu", "says something the bot doesn't understand"),
    "step_done": ("bấm “Xong” ở một bước", "presses Done on a step"),
    "step_next": ("bấm “Bỏ qua” ở một bước", "presses Skip on a step"),
    "nps": ("chấm điểm giới thiệu (0–10)", "gives a recommendation score (0–10)"),
    "csat": ("chấm điểm hài lòng (1–5)", "gives a satisfaction score (1–5)"),
    "resume_messages": ("muốn nhận tin trở lại", "wants messages again"),
}

ACTIONS: dict[str, Pair] = {
    "reply": ("Trả lời", "Reply"),
    "move_to": ("Chuyển giai đoạn", "Move to a stage"),
    "plan_info": ("Giới thiệu gói (từ bảng giá)", "Plan details (from the catalog)"),
    "plan_compare": ("So sánh hai gói", "Compare two plans"),
    "trial_offer": ("Tặng mã dùng thử", "Trial offer"),
    "discount": ("Tặng mã giảm giá", "Discount coupon"),
    "checklist": ("Danh sách việc cần làm", "Onboarding checklist"),
    "nps_ask": ("Hỏi điểm giới thiệu (NPS)", "Ask for an NPS score"),
    "nps_record": ("Ghi điểm NPS", "Record the NPS score"),
    "csat_ask": ("Hỏi điểm hài lòng (CSAT)", "Ask for a CSAT score"),
    "csat_record": ("Ghi điểm hài lòng", "Record the CSAT score"),
    "await_comment": ("Hỏi và chờ khách trả lời", "Ask and wait for the answer"),
    "save_comment": ("Lưu góp ý của khách", "Save the customer's comment"),
    "referral_link": ("Gửi link giới thiệu", "Send the referral link"),
    "handoff": ("Chuyển cho nhân viên", "Hand over to a person"),
    "opt_out": ("Ngừng nhắn chủ động", "Stop proactive messages"),
    "opt_in": ("Nhắn chủ động trở lại", "Resume proactive messages"),
}

CHOICES: dict[str, Pair] = {
    "show": ("hiện bước hiện tại", "show the current step"),
    "done": ("đánh dấu xong, hiện bước tiếp", "mark it done, show the next"),
    "next": ("bỏ qua, sang bước tiếp", "skip to the next step"),
    "help": ("hướng dẫn bước hiện tại", "help with the current step"),
    "stage_entered": ("khi vào giai đoạn", "entering the stage"),
    "trial_expires": ("khi hết hạn dùng thử", "the end of the trial"),
    "last_seen": ("lần nhắn cuối của khách", "the customer's last message"),
    "event": ("sự kiện của sản phẩm (ô Sự kiện)", "a product event (the Event field)"),
}

STATES: dict[str, Pair] = {
    "onboarding.finished": ("đã làm xong danh sách việc", "finished onboarding"),
    "nps": ("đã chấm điểm NPS", "gave an NPS score"),
    "csat": ("đã chấm điểm hài lòng", "gave a CSAT score"),
    "opted_out": ("đã tắt tin nhắn chủ động", "opted out of messages"),
    "trial": ("đã có mã dùng thử", "has a trial"),
    "referral_code": ("đã có link giới thiệu", "has a referral link"),
}

REASONS: dict[str, Pair] = {
    "rule": ("quy tắc", "rule"),
    "transition": ("chuyển giai đoạn", "transition"),
    "fallback": ("câu trả lời khi không khớp quy tắc nào", "the fallback"),
    "nlu_unavailable": ("trả lời khi bot tạm không đọc được chữ", "the NLU-unavailable reply"),
    "on_enter": ("khi vào giai đoạn", "on entering"),
    "start": ("khách mới", "new customer"),
    "manual": ("chuyển tay", "moved by hand"),
}


def pick(pair: Pair, lang: Locale | str) -> str:
    """The Vietnamese or English half of a pair."""
    return pair[1] if lang == "en" else pair[0]


def stage_name(stage: str, lang: str) -> str:
    """A stage's human name (its id when unknown)."""
    return pick(STAGES[stage], lang) if stage in STAGES else stage


def intent_name(intent: str, lang: str) -> str:
    """What a customer does when they send `intent` (its id when unknown)."""
    return pick(INTENTS[intent], lang) if intent in INTENTS else intent


def table(names: dict[str, Pair], lang: str) -> dict[str, str]:
    """One language of a table, for the browser."""
    return {key: pick(pair, lang) for key, pair in names.items()}
