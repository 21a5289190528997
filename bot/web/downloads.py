"""Files to download from the API and the console."""

from __future__ import annotations

from aiohttp import web


def csv_file(text: str, name: str) -> web.Response:
    """`text` as a CSV download named `name`."""
    return web.Response(
        text=text,
        content_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
