# ForumBridge in a container: `docker compose up -d` (compose.yaml), or
#   docker build -t forumbridge . && docker run --env-file .env -v forumbridge-data:/app/data forumbridge
# Two stages: the first installs the bot and its runtime dependencies into a virtualenv
# (`pip install .`, no extras: no test tools, no sandbox); the second is a slim Python with
# only that virtualenv and the forum's data files, run by an unprivileged user.

ARG PYTHON_VERSION=3.11

FROM python:${PYTHON_VERSION}-slim AS build
# Optional extras, e.g. --build-arg EXTRAS=[sentry] for SENTRY_DSN.
ARG EXTRAS=
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY locales ./locales
RUN python -m venv /opt/forumbridge && /opt/forumbridge/bin/pip install ".${EXTRAS}"

FROM python:${PYTHON_VERSION}-slim
RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin forumbridge
COPY --from=build /opt/forumbridge /opt/forumbridge
WORKDIR /app
# The forum file and samples; a new named volume on /app/data starts as a copy of them.
COPY --chown=forumbridge:forumbridge data/forum.toml data/sample_agenda.csv data/sample_companies.csv ./data/
ENV PATH=/opt/forumbridge/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_PATH=/app/data/forumbridge.db \
    PORT=8443
USER forumbridge
VOLUME ["/app/data"]
# The webhook server and GET /healthz, in webhook mode (WEBHOOK_URL set).
EXPOSE 8443
# Healthy while the bot's heartbeat is younger than two minutes (`python -m bot status`:
# exit 1 wedged, 3 not running). The start period covers migrating a large database.
HEALTHCHECK --interval=60s --timeout=20s --start-period=120s --retries=3 \
    CMD ["python", "-m", "bot", "status"]
ENTRYPOINT ["python", "-m", "bot"]
CMD ["run"]
