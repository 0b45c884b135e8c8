-- Organiser broadcasts (their messages go through the outbox) and the organisers' audit log.
CREATE TABLE broadcasts (
    id                  INTEGER PRIMARY KEY,
    created_by          INTEGER NOT NULL,
    audience            TEXT NOT NULL,              -- JSON: {"kind": "...", "value": ...}
    audience_label      TEXT NOT NULL DEFAULT '',   -- as shown to organisers, e.g. "Romania"
    summary             TEXT NOT NULL DEFAULT '',   -- first words of the message, for lists
    method              TEXT NOT NULL,              -- how each copy is sent (e.g. copyMessage)
    payload             TEXT NOT NULL,              -- JSON arguments, chat_id aside
    state               TEXT NOT NULL DEFAULT 'draft'
                        CHECK (state IN ('draft', 'scheduled', 'running', 'stopped',
                                         'done', 'cancelled')),
    scheduled_for       TEXT,
    recipients          INTEGER NOT NULL DEFAULT 0,
    progress_chat_id    INTEGER,
    progress_message_id INTEGER,
    progress_text       TEXT,                       -- last text shown, so edits always change it
    created_at          TEXT NOT NULL,
    started_at          TEXT,
    finished_at         TEXT
);
CREATE INDEX broadcasts_state ON broadcasts (state, scheduled_for);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    actor_id   INTEGER NOT NULL,
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX audit_log_time ON audit_log (created_at);
