"""The Zalo and Messenger settings: secrets stay secret, empty values mean unset."""

from __future__ import annotations

from bot.config import Settings


def test_platform_settings_read_from_the_environment() -> None:
    settings = Settings(
        _env_file=None,
        zalo_app_id="4291763606161179100",
        zalo_oa_secret_key="oa-key",
        zalo_access_token="",
        messenger_page_access_token="EAAG",
        messenger_api_base="http://127.0.0.1:9/v25.0",
    )
    assert settings.zalo_app_id == "4291763606161179100"
    assert settings.zalo_oa_secret_key is not None
    assert settings.zalo_oa_secret_key.get_secret_value() == "oa-key"
    assert "oa-key" not in repr(settings)
    assert settings.zalo_access_token is None  # empty means unset
    assert settings.zalo_api_base == "https://openapi.zalo.me"
    assert settings.messenger_api_base.endswith("/v25.0")
    assert settings.messenger_verify_token is None
