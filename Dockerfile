# The bot process. Rasa runs in its own container (see docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
RUN useradd --create-home --uid 10001 bot
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY actions ./actions
RUN pip install --no-cache-dir .
COPY stage_policies ./stage_policies
COPY nlu/domain.yml ./nlu/domain.yml
USER bot
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=2)"
CMD ["python", "-m", "bot", "run", "--host", "0.0.0.0"]
