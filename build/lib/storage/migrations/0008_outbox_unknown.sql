-- A send that timed out may or may not have reached its recipient (Telegram took the
-- request, its answer never came). Such a row ends in the new state 'unknown' and is never
-- sent again: at most once (bot/outbox.py). SQLite cannot change a CHECK constraint in
-- place, so the table is rebuilt with the same columns, rows and indexes.
CREATE TABLE outbox_rebuilt (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL,
    priority     INTEGER NOT NULL DEFAULT 5,   -- lower goes first; broadcasts are lowest
    dedupe_key   TEXT NOT NULL UNIQUE,
    chat_id      INTEGER NOT NULL,
    method       TEXT NOT NULL,                -- Bot API method, e.g. sendMessage
    payload      TEXT NOT NULL,                -- JSON arguments of that method, chat_id aside
    not_before   TEXT NOT NULL,                -- ISO 8601 UTC
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'sent', 'failed', 'blocked', 'cancelled',
                                  'unknown')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT,
    sent_at      TEXT,
    message_id   INTEGER,
    broadcast_id INTEGER,
    created_at   TEXT NOT NULL
);
INSERT INTO outbox_rebuilt (id, kind, priority, dedupe_key, chat_id, method, payload,
                            not_before, state, attempts, last_error, sent_at, message_id,
                            broadcast_id, created_at)
SELECT id, kind, priority, dedupe_key, chat_id, method, payload, not_before, state, attempts,
       last_error, sent_at, message_id, broadcast_id, created_at
FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_rebuilt RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (priority, not_before, id) WHERE state = 'pending';
CREATE INDEX outbox_broadcast ON outbox (broadcast_id, state) WHERE broadcast_id IS NOT NULL;
CREATE INDEX outbox_kind ON outbox (kind, state);
