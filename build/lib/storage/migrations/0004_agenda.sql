-- The agenda (times in UTC), who subscribed to what, and each user's reminder lead times.
CREATE TABLE agenda_sessions (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    speakers    TEXT NOT NULL DEFAULT '',
    track       TEXT NOT NULL DEFAULT '',
    starts_at   TEXT NOT NULL,              -- ISO 8601 UTC
    ends_at     TEXT NOT NULL,              -- ISO 8601 UTC
    link        TEXT,
    cancelled   INTEGER NOT NULL DEFAULT 0,
    updated_at  TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX agenda_sessions_start ON agenda_sessions (starts_at);

CREATE TABLE agenda_subscriptions (
    user_id    INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
    session_id INTEGER NOT NULL REFERENCES agenda_sessions (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, session_id)
);
CREATE INDEX agenda_subscriptions_session ON agenda_subscriptions (session_id);

-- Minutes before the start; a user with no row here gets the default (15).
CREATE TABLE reminder_leads (
    user_id INTEGER NOT NULL REFERENCES users (telegram_id) ON DELETE CASCADE,
    minutes INTEGER NOT NULL CHECK (minutes >= 0),
    PRIMARY KEY (user_id, minutes)
);
