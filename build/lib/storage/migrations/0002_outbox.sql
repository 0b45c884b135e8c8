-- Every message the bot sends on its own initiative (reminders, broadcasts, introductions,
-- notices) is written here first, then drained by the sender within Telegram's limits.
CREATE TABLE outbox (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    priority     INTEGER NOT NULL DEFAULT 5,   -- lower goes first; broadcasts are lowest
    dedupe_key   TEXT NOT NULL UNIQUE,
    chat_id      INTEGER NOT NULL,
    method       TEXT NOT NULL,                -- Bot API method, e.g. sendMessage
    payload      TEXT NOT NULL,                -- JSON arguments of that method, chat_id aside
    not_before   TEXT NOT NULL,                -- ISO 8601 UTC
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'sent', 'failed', 'blocked', 'cancelled')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    sent_at      TEXT,
    message_id   INTEGER,
    broadcast_id INTEGER,
    created_at   TEXT NOT NULL
);
CREATE INDEX outbox_pending ON outbox (priority, not_before, id) WHERE state = 'pending';
CREATE INDEX outbox_broadcast ON outbox (broadcast_id, state) WHERE broadcast_id IS NOT NULL;
CREATE INDEX outbox_kind ON outbox (kind, state);
