"""The HTTP side of the bot: the aiohttp application, its routes' dependencies and errors."""
