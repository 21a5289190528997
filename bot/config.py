"""Settings, read once from the environment and `.env` (see `.env.example`)."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.lifecycle import Locale
from bot.scheduler.guardrails import QuietHours


class Settings(BaseSettings):
    """Every setting of the bot; field names are the environment variable names."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    redis_url: str | None = Field(
        default=None,
        description="redis:// URL; unset starts an embedded Redis with data in DATA_DIR.",
    )
    redis_prefix: str = Field(default="eb", description="Prefix of every Redis key.")
    data_dir: Path = Field(default=Path("data"), description="Local data folder.")

    rasa_url: str | None = Field(
        default=None,
        description="Rasa server URL; unset means `run` starts a local Rasa server itself.",
    )
    rasa_token: SecretStr | None = Field(default=None, description="Rasa --auth-token.")
    rasa_port: int = Field(default=5005, description="Port of the locally started Rasa.")
    nlu_timeout_seconds: float = Field(default=3.0, gt=0)
    nlu_enabled: bool = Field(default=True, description="false: run without Rasa at all.")
    nlu_dir: Path = Field(default=Path("nlu"), description="The Rasa project folder.")
    cache_dir: Path = Field(
        default_factory=lambda: Path.home() / ".cache" / "engagebot",
        description="Cache outside the clone: the Rasa virtualenv and trained models.",
    )
    rasa_venv: Path | None = Field(
        default=None, description="Rasa virtualenv; unset means CACHE_DIR/rasa-3.6.21."
    )
    rasa_python: Path | None = Field(
        default=None, description="Python 3.10 that creates the Rasa virtualenv; unset: search."
    )
    nlu_cache_size: int = Field(default=4096, ge=0, description="Parses kept; 0 disables.")
    nlu_review_confidence: float = Field(
        default=0.7,
        ge=0,
        le=1,
        description="Messages understood with less confidence than this are kept for review.",
    )
    digression_confidence: float = Field(
        default=0.8,
        ge=0,
        le=1,
        description="While the bot waits for a free-text answer, a request understood with"
        " at least this confidence is answered as a request (then the question is asked again).",
    )
    handoff_ack_after_minutes: float = Field(
        default=10,
        ge=0,
        description="During a handoff with no staff reply yet, a customer who writes again"
        " after this much silence gets one short acknowledgement; 0 disables.",
    )
    nlu_review_limit: int = Field(
        default=10000, ge=1, description="How many not-understood messages are kept for review."
    )
    transcript_keep: int = Field(
        default=5000,
        ge=0,
        description="Transcript entries kept per customer (the latest); older ones are"
        " trimmed as new ones arrive; 0 keeps everything.",
    )
    merge_retention_days: float = Field(
        default=30,
        gt=0,
        description="How long staff can undo a merge of two customers (bot.linking).",
    )

    admin_token: SecretStr | None = Field(
        default=None,
        description="Bearer token of the admin API; unset generates one in DATA_DIR.",
    )
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=8080, ge=0, le=65535)
    http_body_max_bytes: int = Field(
        default=64 * 1024, ge=1024, description="Largest body on public routes and the API."
    )
    console_form_max_bytes: int = Field(
        default=1024 * 1024, ge=64 * 1024, description="Largest console policy form."
    )
    events_max_bytes: int = Field(
        default=1024 * 1024, ge=64 * 1024, description="Largest body of POST /api/events."
    )
    events_key: SecretStr | None = Field(
        default=None, description="A key that may only POST /api/events (besides ADMIN_TOKEN)."
    )
    http_header_timeout_seconds: float = Field(
        default=10, gt=0, description="A new connection must send its headers within this."
    )
    http_body_timeout_seconds: float = Field(
        default=15, gt=0, description="A request body must arrive within this."
    )
    http_keepalive_seconds: float = Field(
        default=30, gt=0, description="An idle connection is closed after this."
    )
    http_connections_per_client: int = Field(
        default=64, ge=0, description="Open connections per client address; 0: no cap."
    )
    rest_token: SecretStr | None = Field(
        default=None, description="Bearer token REST clients must send; unset: open REST."
    )
    web_chat_secret: SecretStr | None = Field(
        default=None, description="Signs web chat sessions; unset generates one in DATA_DIR."
    )
    login_attempts_per_name: int = Field(default=5, ge=1, description="Per window.")
    login_attempts_per_address: int = Field(default=30, ge=1, description="Per window.")
    login_window_seconds: int = Field(default=900, ge=1, description="Login attempt window.")

    telegram_bot_token: SecretStr | None = Field(
        default=None, description="Bot token from BotFather; unset runs without Telegram."
    )
    telegram_api_base: str = Field(
        default="https://api.telegram.org", description="Bot API server (a local or fake one)."
    )
    telegram_webhook_url: str | None = Field(
        default=None,
        description="Public HTTPS URL of the webhook; unset means long polling.",
    )
    telegram_webhook_secret: SecretStr | None = Field(
        default=None,
        description="X-Telegram-Bot-Api-Secret-Token; unset derives one from the bot token.",
    )
    telegram_chat_interval_seconds: float = Field(
        default=1.0, gt=0, description="Least time between two messages to one chat."
    )
    telegram_group_per_minute: int = Field(default=20, gt=0, description="Messages/min/group.")
    telegram_overall_per_second: int = Field(default=30, gt=0, description="Messages/s in all.")

    zalo_app_id: str | None = Field(
        default=None, description="The Zalo app linked to the Official Account; unset: no Zalo."
    )
    zalo_app_secret: SecretStr | None = Field(
        default=None, description="The app's secret key (renews the OA access token)."
    )
    zalo_oa_secret_key: SecretStr | None = Field(
        default=None, description="The OA secret key that signs webhooks (X-ZEvent-Signature)."
    )
    zalo_access_token: SecretStr | None = Field(
        default=None, description="First OA access token; later ones are renewed into Redis."
    )
    zalo_refresh_token: SecretStr | None = Field(
        default=None, description="First refresh token (single use; renewed into Redis)."
    )
    zalo_api_base: str = Field(default="https://openapi.zalo.me", description="OA API server.")
    zalo_oauth_base: str = Field(
        default="https://oauth.zaloapp.com", description="Zalo OAuth server (token renewal)."
    )
    zalo_webhook_max_age_seconds: float = Field(
        default=43200, gt=0, description="Webhook events older than this are refused."
    )
    zalo_overall_per_second: float = Field(
        default=10, gt=0, description="Messages per second to Zalo in all (per replica)."
    )
    zalo_recipient_interval_seconds: float = Field(
        default=1.0, gt=0, description="Least time between two messages to one Zalo follower."
    )
    messenger_page_access_token: SecretStr | None = Field(
        default=None, description="The Facebook page's access token; unset: no Messenger."
    )
    messenger_app_secret: SecretStr | None = Field(
        default=None, description="The Meta app secret that signs webhooks."
    )
    messenger_verify_token: SecretStr | None = Field(
        default=None, description="The verify token typed into the app's webhook settings."
    )
    messenger_api_base: str = Field(
        default="https://graph.facebook.com/v25.0",
        description="Graph API server with its version.",
    )
    messenger_overall_per_second: float = Field(
        default=250, gt=0, description="Send API calls per second in all (per replica)."
    )

    ingest_shards: int = Field(
        default=8,
        ge=1,
        le=1024,
        description="Streams that webhook updates are stored in; drain them before changing.",
    )
    ingest_claim_seconds: float = Field(
        default=15,
        gt=0,
        description="A replica silent this long loses its shards; another claims their entries.",
    )

    messenger_recipient_interval_seconds: float = Field(
        default=1.0, gt=0, description="Least time between two messages to one Messenger customer."
    )

    policies_dir: Path = Path("stage_policies")
    default_locale: Locale = "vi"
    telegram_bot_username: str = Field(
        default="salemate_bot", description="The bot's @username, for referral deep links."
    )
    web_chat_url: str = Field(
        default="http://127.0.0.1:8080/chat",
        description="The web chat's address, for web referral links (?ref=<code>).",
    )
    support_sla_minutes: float = Field(
        default=15, gt=0, description="A customer waits at most this long for a first staff reply."
    )
    support_chat_id: int | None = Field(
        default=None,
        description="The Telegram support supergroup (with topics); unset: no support group.",
    )
    support_staff_cache_seconds: float = Field(
        default=60, ge=0, description="How long a support group membership check is trusted."
    )
    time_zone: str = Field(
        default="Asia/Ho_Chi_Minh",
        description="Customers' time zone unless their profile has `timezone`.",
    )
    quiet_hours: str = Field(
        default="21:00-08:00",
        description="No proactive message in this local window; it waits for the morning.",
    )
    proactive_daily_cap: int = Field(
        default=2, ge=1, description="At most this many proactive messages per customer a day."
    )
    scheduler_poll_seconds: float = Field(
        default=1.0, gt=0, description="How often an idle scheduler looks for due jobs."
    )
    web_chat_origins: str | None = Field(
        default=None,
        description="Sites allowed to embed the web chat: origins, or *; unset: WEB_CHAT_URL's.",
    )
    policy_poll_seconds: float = Field(
        default=1.0, gt=0, description="How often a bot checks for a newly published policy."
    )
    log_level: str = "INFO"

    @field_validator("quiet_hours")
    @classmethod
    def _quiet_hours(cls, value: str) -> str:
        QuietHours.parse(value)
        return value

    @field_validator("time_zone")
    @classmethod
    def _time_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r}, e.g. Asia/Ho_Chi_Minh") from None
        return value

    @field_validator(
        "redis_url",
        "rasa_url",
        "rasa_token",
        "admin_token",
        "events_key",
        "telegram_bot_token",
        "telegram_webhook_url",
        "telegram_webhook_secret",
        "support_chat_id",
        "rasa_venv",
        "rasa_python",
        "zalo_app_id",
        "zalo_app_secret",
        "zalo_oa_secret_key",
        "zalo_access_token",
        "zalo_refresh_token",
        "messenger_page_access_token",
        "messenger_app_secret",
        "messenger_verify_token",
        "rest_token",
        "web_chat_secret",
        "web_chat_origins",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value
