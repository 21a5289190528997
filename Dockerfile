# The bot process. Rasa runs in its own container (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN useradd --create-home --uid 10001 bot

# Dependencies first, from the locked set: this layer is rebuilt only when the lock changes.
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY pyproject.toml README.md ./
COPY bot ./bot
COPY actions ./actions
RUN pip install --no-deps .

# The policies are seeded into Redis on the first start; the NLU project is exported
# (folded) for the Rasa container by the `nlu-project` service.
COPY stage_policies ./stage_policies
COPY nlu/config.yml nlu/domain.yml ./nlu/
COPY nlu/data ./nlu/data

# No secrets here: tokens come from the environment (.env) at run time.
USER bot
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2)"
CMD ["python", "-m", "bot", "run", "--host", "0.0.0.0"]
