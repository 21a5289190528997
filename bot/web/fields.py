"""Field types shared by the request bodies of the HTTP API."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, StrictStr


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must be a non-empty string")
    return value.strip()


# A string with something in it besides spaces; the value is stripped.
NonBlank = Annotated[StrictStr, AfterValidator(_not_blank)]
