"""The Telegram channel: aiogram 3 routers, the webhook route and the rate-limited sender."""
