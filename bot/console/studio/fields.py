"""The labels of the form's fields, Vietnamese first; `Model.key` wins over `key`.

A field without a label here (one added to the schema later) shows its key.
"""

from __future__ import annotations

from bot.console.studio.names import Pair, table

FIELDS: dict[str, Pair] = {
    # A stage file
    "StagePolicy.stage": ("Giai đoạn", "Stage"),
    "StagePolicy.on_enter": ("Khi khách vào giai đoạn này", "When a customer enters this stage"),
    "StagePolicy.rules": ("Quy tắc trả lời", "Rules"),
    "StagePolicy.transitions": ("Chuyển sang giai đoạn khác", "Moves to other stages"),
    "StagePolicy.checklist": ("Danh sách việc cần làm", "Onboarding checklist"),
    "StagePolicy.follow_ups": ("Tin nhắn tự động", "Follow-up messages"),
    "StagePolicy.fallback": ("Khi không khớp quy tắc nào", "When no rule matches"),
    "Rule.name": ("Tên quy tắc", "Rule name"),
    "Rule.when": ("Khi", "When"),
    "Rule.do": ("Bot sẽ", "The bot will"),
    "TransitionRule.name": ("Tên", "Name"),
    "TransitionRule.when": ("Khi", "When"),
    "TransitionRule.to": ("Chuyển sang", "Moves to"),
    "TransitionRule.do": ("Trước khi chuyển, bot sẽ", "Before the move, the bot will"),
    "TransitionRule.replay": (
        "Trả lời tin nhắn này theo giai đoạn mới",
        "Answer this message in the new stage",
    ),
    "When.intent": ("Khách", "The customer"),
    "When.entities": ("Tin nhắn có nêu", "The message names"),
    "When.profile": ("Hồ sơ khách có", "The customer's profile has"),
    "When.previous_intent": ("Tin nhắn trước, khách", "In their previous message, the customer"),
    "When.awaiting": ("Đang chờ khách trả lời về", "The bot waits for an answer about"),
    "When.event": ("Sản phẩm báo sự kiện", "The product reports the event"),
    "When.properties": ("Sự kiện có", "The event has"),
    "FollowUp.name": ("Tên", "Name"),
    "FollowUp.from": ("Tính từ", "Counted from"),
    "FollowUp.event": ("Sự kiện (khi tính từ sự kiện)", "Event (when counted from one)"),
    "FollowUp.after": ("Thời điểm", "When"),
    "FollowUp.unless": ("Không gửi nếu khách", "Not sent when the customer"),
    "FollowUp.profile": ("Chỉ gửi khi hồ sơ có", "Only when the profile has"),
    "FollowUp.do": ("Bot sẽ", "The bot will"),
    # The checklist
    "Checklist.steps": ("Các bước", "Steps"),
    "Checklist.step": ("Cách hiện một bước", "How a step is shown"),
    "Checklist.help": ("Cách hiện hướng dẫn", "How help is shown"),
    "Checklist.buttons": ("Nút dưới mỗi bước", "Buttons under each step"),
    "Checklist.finished": ("Khi xong hết các bước", "When every step is done"),
    "Checklist.then": ("Xong thì chuyển sang", "Then move to"),
    "ChecklistStep.id": ("Mã bước", "Step id"),
    "ChecklistStep.title": ("Tên bước", "Title"),
    "ChecklistStep.text": ("Việc cần làm", "What to do"),
    "ChecklistStep.help": ("Hướng dẫn", "Help"),
    # common.yml
    "CommonPolicy.rules": ("Quy tắc cho mọi giai đoạn", "Rules of every stage"),
    "CommonPolicy.fallback": ("Khi không khớp quy tắc nào", "When no rule matches"),
    "CommonPolicy.nlu_unavailable": (
        "Khi bot tạm thời không đọc được tin chữ",
        "While the bot cannot read text messages",
    ),
    "CommonPolicy.referral": ("Chương trình giới thiệu", "Referral programme"),
    "CommonPolicy.handoff": ("Khi chuyển cho nhân viên", "Around a handoff to a person"),
    "CommonPolicy.follow_ups": ("Tin nhắn tự động (mọi giai đoạn)", "Follow-ups (every stage)"),
    "ReferralProgramme.credit_at": (
        "Người giới thiệu được thưởng khi bạn họ tới",
        "The referrer is rewarded when the friend reaches",
    ),
    "ReferralProgramme.welcome": ("Chào khách được giới thiệu", "Welcome for an invited customer"),
    "ReferralProgramme.refused": ("Khi mã không dùng được", "When a code is refused"),
    "HandoffTexts.sla_missed": ("Khi nhân viên trả lời chậm", "When support is late"),
    "HandoffTexts.back_to_bot_button": ("Nút quay lại trợ lý", "Back-to-assistant button"),
    "HandoffTexts.back_to_bot": ("Khi khách quay lại trợ lý", "When the customer goes back"),
    "HandoffTexts.closed": ("Khi nhân viên kết thúc", "When staff close the chat"),
    "HandoffTexts.csat": ("Câu hỏi điểm hài lòng", "The satisfaction question"),
    # catalog.yml
    "Catalog.currency": ("Tiền tệ", "Currency"),
    "Catalog.period": ("Kỳ thanh toán", "Billing period"),
    "Catalog.trial_days": ("Số ngày dùng thử", "Trial days"),
    "Catalog.plans": ("Các gói", "Plans"),
    "Plan.id": ("Mã gói", "Plan id"),
    "Plan.name": ("Tên gói", "Name"),
    "Plan.price": ("Giá mỗi kỳ", "Price per period"),
    "Plan.price_label": ("Hiện chữ thay cho giá", "Label instead of a price"),
    "Plan.summary": ("Tóm tắt", "Summary"),
    "Plan.features": ("Tính năng (mỗi dòng một ý)", "Features (one per line)"),
    # Buttons and action arguments
    "ButtonSpec.title": ("Chữ trên nút", "Button title"),
    "ButtonSpec.payload": ("Khi bấm, như thể khách", "Pressing it: the customer"),
    "ReplyArgs.yes": (
        "Nếu khách trả lời “có”, như thể khách",
        "If the answer is “yes”: the customer",
    ),
    "ReplyArgs.no": (
        "Nếu khách trả lời “không”, như thể khách",
        "If the answer is “no”: the customer",
    ),
    "ChecklistArgs.do": ("Việc", "What to do"),
    "MoveArgs.stage": ("Sang giai đoạn", "To the stage"),
    "PlanInfoArgs.one": ("Khi khách nêu một gói", "When the message names a plan"),
    "PlanInfoArgs.all": ("Khi không nêu gói nào", "When no plan is named"),
    "CompareArgs.default": ("Hai gói so sánh mặc định", "Plans compared by default"),
    "TrialArgs.offer": ("Lời mời dùng thử (lần đầu)", "The offer (first time)"),
    "TrialArgs.again": ("Khi khách hỏi lại", "When asked again"),
    "TrialArgs.expired": ("Khi đã hết hạn", "After the trial ended"),
    "TrialArgs.days": ("Số ngày (trống: theo bảng giá)", "Days (empty: the catalog's)"),
    "DiscountArgs.coupon": ("Mã giảm giá", "Coupon code"),
    "DiscountArgs.percent": ("Giảm (%)", "Percent off"),
    "DiscountArgs.limit": ("Số lần mỗi khách", "Times per customer"),
    "DiscountArgs.text": ("Tin nhắn tặng mã", "The message"),
    "DiscountArgs.exhausted": ("Khi khách đã nhận đủ", "When already given"),
    "NpsArgs.promoter": ("Khách chấm 9–10", "Score 9–10"),
    "NpsArgs.passive": ("Khách chấm 7–8", "Score 7–8"),
    "NpsArgs.detractor": ("Khách chấm 0–6 (mời nhân viên)", "Score 0–6 (asks for a person)"),
    "NpsArgs.promoter_to": ("Khách chấm 9–10 chuyển sang", "Scores 9–10 move to"),
    "AwaitArgs.about": ("Chủ đề câu trả lời", "What the answer is about"),
    "CommentArgs.about": ("Lưu vào chủ đề", "Saved as"),
    "HandoffArgs.reason": ("Lý do (cho nhân viên)", "Reason (for the staff)"),
    "text": ("Nội dung", "Text"),
    "buttons": ("Nút bấm", "Buttons"),
}


def field_labels(lang: str) -> dict[str, str]:
    """Every field label in `lang`, for the browser."""
    return table(FIELDS, lang)
