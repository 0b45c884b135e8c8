-- Users as Telegram shows them, plus what the bot knows of them.
CREATE TABLE users (
    telegram_id   INTEGER PRIMARY KEY,
    first_name    TEXT NOT NULL DEFAULT '',
    last_name     TEXT,
    username      TEXT,
    language_code TEXT,
    timezone      TEXT,
    role          TEXT NOT NULL DEFAULT 'participant' CHECK (role IN ('participant', 'organiser')),
    is_active     INTEGER NOT NULL DEFAULT 1,
    blocked_at    TEXT,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL
);
CREATE INDEX users_username ON users (lower(username));

-- PTB persistence: one row per user / chat / conversation key; blobs are pickled by the bot.
CREATE TABLE ptb_user_data (
    user_id INTEGER PRIMARY KEY,
    data    BLOB NOT NULL
);
CREATE TABLE ptb_chat_data (
    chat_id INTEGER PRIMARY KEY,
    data    BLOB NOT NULL
);
CREATE TABLE ptb_bot_data (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    data BLOB NOT NULL
);
CREATE TABLE ptb_callback_data (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    data BLOB NOT NULL
);
CREATE TABLE ptb_conversations (
    name  TEXT NOT NULL,
    key   TEXT NOT NULL,  -- JSON array, e.g. [chat_id, user_id]
    state TEXT NOT NULL,  -- JSON value
    PRIMARY KEY (name, key)
);
