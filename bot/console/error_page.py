"""The console's answer to a failed request: a page in the visitor's language, with a way on.

The web app's one error path (`bot/web/errors.py`) calls it for every path under
`/console`; the detail line is the handler's own message.
"""

from __future__ import annotations

from aiohttp import web

from bot.console.pages import lang, render

_HEADLINES: dict[str, dict[int, str]] = {
    "vi": {
        400: "Yêu cầu không hợp lệ.",
        401: "Bạn cần đăng nhập.",
        403: "Bạn không có quyền làm việc này.",
        404: "Không tìm thấy trang hoặc khách hàng này.",
        405: "Trang này không nhận kiểu yêu cầu đó.",
        408: "Gửi dữ liệu quá lâu; hãy thử lại.",
        409: "Việc này không còn phù hợp với trạng thái hiện tại.",
        413: "Dữ liệu gửi lên quá lớn.",
        415: "Định dạng dữ liệu không được hỗ trợ.",
        422: "Dữ liệu chưa đúng; hãy kiểm tra lại.",
        429: "Quá nhiều lần thử; hãy đợi rồi thử lại.",
        500: "Đã có lỗi phía máy chủ; lỗi đã được ghi lại.",
        503: "Hệ thống tạm thời không phục vụ được; hãy thử lại sau ít giây.",
    },
    "en": {
        400: "The request is not valid.",
        401: "Please log in.",
        403: "You may not do this.",
        404: "No such page or customer.",
        405: "This page does not take that kind of request.",
        408: "Sending took too long; please try again.",
        409: "This no longer fits the current state.",
        413: "What was sent is too large.",
        415: "That data format is not supported.",
        422: "Something in the form is not right; please check it.",
        429: "Too many attempts; wait a little and try again.",
        500: "Something went wrong on our side; it was logged.",
        503: "The service is briefly unavailable; try again in a few seconds.",
    },
}
_BACK = {"vi": "Về trang chính", "en": "Back to the console"}


def console_error_page(request: web.Request, status: int, detail: str) -> web.Response:
    """The error page for `status`, with the handler's `detail` under the headline."""
    language = lang(request)
    headlines = _HEADLINES[language]
    headline = headlines.get(status, headlines[500 if status >= 500 else 400])
    response = render(
        request,
        "error.html",
        headline=headline,
        detail=detail,
        status=status,
        back=_BACK[language],
    )
    response.set_status(status)
    return response
