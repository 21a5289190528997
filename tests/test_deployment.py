"""The deployment files: the compose file validates and holds what the README promises."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import Settings
from tests.conftest import ROOT


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def _readme_table() -> list[list[str]]:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Deploying with Docker", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


def test_every_service_health_check_and_volume_the_readme_names_is_in_the_file() -> None:
    compose = _compose()
    rows = _readme_table()
    assert [row[0].strip("`") for row in rows] == list(compose["services"])
    for name, _what, health, volumes in rows:
        service = compose["services"][name.strip("`")]
        assert ("healthcheck" in service) == (health != "—"), name
        named = set(re.findall(r"`([a-z-]+)`", volumes))
        mounted = {v.split(":")[0] for v in service.get("volumes", [])}
        assert named == mounted, name
        assert named <= set(compose["volumes"]), name
    assert compose["services"]["redis"]["image"] == "redis:7"
    assert "--appendonly" in compose["services"]["redis"]["command"]
    assert compose["services"]["rasa"]["image"] == "rasa/rasa:3.6.21"
    assert compose["services"]["bot"]["depends_on"] == {
        "redis": {"condition": "service_healthy"},
        "rasa": {"condition": "service_healthy"},
    }


def test_settings_the_compose_file_and_readme_use_exist() -> None:
    fields = {name.upper() for name in Settings.model_fields}
    environment = _compose()["services"]["bot"]["environment"]
    assert set(environment) <= fields
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Deploying with Docker", 1)[1].split("\n## ", 1)[0]
    for name in re.findall(r"`([A-Z]+_[A-Z_]+)`", section):
        assert name in fields, name
    example = (ROOT / ".env.example").read_text()
    for name in fields:
        assert re.search(rf"^#? ?{name}=", example, re.MULTILINE), f"{name} not in .env.example"


def test_docker_compose_config_accepts_the_file(tmp_path: Path) -> None:
    binary = shutil.which("docker-compose")
    if binary is None:
        pytest.skip("docker-compose is not installed (Debian package docker-compose)")
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    (tmp_path / ".env").write_text("RASA_TOKEN=test\n")
    result = subprocess.run(
        [binary, "config", "--quiet"], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_the_image_installs_the_locked_dependencies_before_the_code() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.index("COPY requirements.lock") < dockerfile.index("COPY bot ")
    assert "USER bot" in dockerfile and "python:3.11-slim" in dockerfile
    assert not re.search(r"(TOKEN|SECRET|PASSWORD)\s*=", dockerfile)
    locked = {
        line.split("==")[0].lower()
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line
    }
    assert {"aiogram", "aiohttp", "redis", "httpx", "pydantic", "jinja2"} <= locked
