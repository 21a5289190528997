from bot.locale import guess_locale


def test_vietnamese_with_and_without_diacritics() -> None:
    assert guess_locale("Cho mình hỏi giá gói Pro", "en") == "vi"
    assert guess_locale("cho mk hoi gia goi pro bn vay", "en") == "vi"
    assert guess_locale("shop oi co ban thu ko", "en") == "vi"


def test_english() -> None:
    assert guess_locale("How much is the pro plan?", "vi") == "en"
    assert guess_locale("hi, I need help", "vi") == "en"


def test_unclear_text_keeps_the_default() -> None:
    assert guess_locale("ok", "vi") == "vi"
    assert guess_locale("???", "en") == "en"
