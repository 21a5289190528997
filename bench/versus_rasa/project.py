"""The Rasa 3.6 full-stack project the bot is compared with, generated from the bot's nlu/.

NLU: the bot's own pipeline (nlu/config.yml), intents and entities (nlu/domain.yml) and
training data folded exactly as for the NLU model, so both understand text alike.
Dialogue: like the bot's simplest replies, one `utter_<intent>` response per intent and
one RulePolicy rule answering each intent with it (plus one for `nlu_fallback`).
Runtime: the REST channel, a Redis tracker store and a Redis lock store under a key
prefix of the run. Nothing is written into the repository.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from bot.nlu.rasa_env import RASA_VERSION
from bot.nlu.training_data import prepare_training_data

RULES_FILE = "versus_rules.yml"
FALLBACK_INTENT = "nlu_fallback"
POLICIES = [{"name": "RulePolicy", "core_fallback_threshold": 0.3}]
# The bot's greeting menu: the one reply with buttons among its simplest answers.
GREETING_BUTTONS = [
    {"title": "Xem sản phẩm", "payload": "/ask_product_info"},
    {"title": "Bảng giá", "payload": "/ask_price"},
    {"title": "Dùng thử miễn phí", "payload": "/request_trial"},
]


def response_name(intent: str) -> str:
    """The response (and action) that answers `intent`."""
    return f"utter_{intent}"


def reply_for(intent: str) -> dict[str, Any]:
    """One response variant for `intent`: a short text, as long as the bot's own replies."""
    reply: dict[str, Any] = {
        "text": f"Cảm ơn bạn! Mình là trợ lý của SaleMate POS, đây là câu trả lời về “{intent}”."
    }
    if intent == "greet":
        reply["buttons"] = GREETING_BUTTONS
    return reply


def stack_domain(nlu_domain: dict[str, Any]) -> dict[str, Any]:
    """The NLU domain plus one response for each of its intents and for `nlu_fallback`."""
    intents = intent_names(nlu_domain)
    responses = {response_name(i): [reply_for(i)] for i in [*intents, FALLBACK_INTENT]}
    return {**nlu_domain, "responses": responses}


def intent_names(domain: dict[str, Any]) -> list[str]:
    """The intents of a domain (plain names, or one-key mappings with properties)."""
    return [next(iter(item)) if isinstance(item, dict) else str(item) for item in domain["intents"]]


def stack_rules(intents: list[str]) -> dict[str, Any]:
    """Rules answering every intent (and `nlu_fallback`) with its own response."""
    rules = [
        {
            "rule": f"answer {intent}",
            "steps": [{"intent": intent}, {"action": response_name(intent)}],
        }
        for intent in [*intents, FALLBACK_INTENT]
    ]
    return {"version": "3.1", "rules": rules}


def stack_config(nlu_config: dict[str, Any]) -> dict[str, Any]:
    """The bot's NLU pipeline with RulePolicy as the only dialogue policy."""
    return {**nlu_config, "policies": POLICIES}


def _read_yaml(path: Path) -> dict[str, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise ValueError(f"{path}: expected a YAML mapping")
    return document


def _write_yaml(path: Path, document: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(text, encoding="utf-8")


def write_project(nlu_dir: Path, out_dir: Path) -> str:
    """Write the trainable full-stack project into `out_dir`; returns its content hash."""
    prepare_training_data(nlu_dir, out_dir / "data")
    domain = _read_yaml(nlu_dir / "domain.yml")
    _write_yaml(out_dir / "config.yml", stack_config(_read_yaml(nlu_dir / "config.yml")))
    _write_yaml(out_dir / "domain.yml", stack_domain(domain))
    _write_yaml(out_dir / "data" / RULES_FILE, stack_rules(intent_names(domain)))
    return project_hash(out_dir)


def project_hash(project_dir: Path) -> str:
    """Hash of the generated files and the Rasa version: the model is trained once per hash.

    Hashing what was generated (not the sources) also covers changes to the generator
    and to the folding of the training data.
    """
    digest = hashlib.sha256(f"rasa=={RASA_VERSION}\n".encode())
    files = [project_dir / "config.yml", project_dir / "domain.yml"]
    files += sorted(p for p in (project_dir / "data").rglob("*") if p.is_file())
    for path in files:
        name = path.relative_to(project_dir).as_posix()
        content = path.read_bytes()
        digest.update(f"{len(name)}:{name}\n{len(content)}\n".encode() + content)
    return digest.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class RedisTarget:
    """Where Rasa keeps its trackers and locks: host, port, db and an alphanumeric prefix."""

    host: str
    port: int
    db: int
    key_prefix: str

    @classmethod
    def from_url(cls, url: str, key_prefix: str) -> RedisTarget:
        """Parse `redis://host:port/db`; Rasa accepts only an alphanumeric key prefix."""
        if not key_prefix.isalnum():
            raise ValueError(f"Rasa ignores a non-alphanumeric key prefix: {key_prefix!r}")
        parts = urlsplit(url)
        db = parts.path.strip("/") or "0"
        return cls(parts.hostname or "127.0.0.1", parts.port or 6379, int(db), key_prefix)


def endpoints(redis: RedisTarget) -> dict[str, Any]:
    """endpoints.yml: the Redis tracker store and the Redis lock store; no action server."""
    store = {
        "type": "redis",
        "url": redis.host,
        "port": redis.port,
        "db": redis.db,
        "key_prefix": redis.key_prefix,
    }
    return {"tracker_store": store, "lock_store": dict(store)}


def write_runtime(run_dir: Path, redis: RedisTarget) -> tuple[Path, Path]:
    """Write credentials.yml (the REST channel) and endpoints.yml; returns their paths."""
    credentials, endpoints_file = run_dir / "credentials.yml", run_dir / "endpoints.yml"
    _write_yaml(credentials, {"rest": None})
    _write_yaml(endpoints_file, endpoints(redis))
    return credentials, endpoints_file
