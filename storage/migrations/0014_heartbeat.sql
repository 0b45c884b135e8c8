-- The running bot's pulse, one row: written at start-up and every 30 s by a JobQueue job
-- (bot/runtime/health.py), read by `python -m bot status` and GET /healthz from outside the
-- process. No personal data: times, a process id, job names.
CREATE TABLE heartbeat (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    pid             INTEGER NOT NULL,
    mode            TEXT NOT NULL,              -- polling or webhook
    started_at      TEXT NOT NULL,              -- ISO 8601 UTC, like every time below
    beat_at         TEXT NOT NULL,
    last_update_at  TEXT,                       -- the last update received from Telegram
    last_api_ok_at  TEXT,                       -- the last Bot API call answered 2xx
    jobs            TEXT NOT NULL DEFAULT '[]', -- JSON: [{"name": ..., "next": ...}, ...]
    job_count       INTEGER NOT NULL DEFAULT 0,
    stopped_at      TEXT                        -- set by a graceful stop
);
