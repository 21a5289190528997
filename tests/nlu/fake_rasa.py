"""A scripted stand-in for Rasa's HTTP API, for unit tests of the client's own logic."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx

Handler = Callable[[httpx.Request], httpx.Response]


class FakeRasa:
    """Answers `/status` and `/model/parse` like Rasa; `down` makes it refuse connections."""

    def __init__(self, model_id: str = "model-a", intent: str = "greet") -> None:
        self.model_id = model_id
        self.intent = intent
        self.down = False
        self.status = 200
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if self.status != 200:
            return httpx.Response(self.status, json={"status": "failure"})
        if request.url.path == "/status":
            return httpx.Response(
                200, json={"model_id": self.model_id, "model_file": f"{self.model_id}.tar.gz"}
            )
        text = json.loads(request.content)["text"]
        return httpx.Response(
            200,
            json={
                "text": text,
                "intent": {"name": self.intent, "confidence": 0.9},
                "entities": [{"entity": "plan", "value": "pro", "start": 0, "end": 3}],
                "intent_ranking": [
                    {"name": self.intent, "confidence": 0.9},
                    {"name": "thank", "confidence": 0.1},
                ],
            },
        )

    def paths(self) -> list[str]:
        return [r.url.path for r in self.requests]


def transport(servers: dict[str, FakeRasa]) -> httpx.MockTransport:
    """One transport serving several fake servers, chosen by host:port."""

    def route(request: httpx.Request) -> httpx.Response:
        return servers[f"{request.url.host}:{request.url.port}"](request)

    return httpx.MockTransport(route)
