-- Double opt-in introductions between companies, and pairs a side marked "not interested".
CREATE TABLE introductions (
    id                   INTEGER PRIMARY KEY,
    requester_company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    target_company_id    INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    requested_by         INTEGER,           -- the rep (telegram id) who asked
    note                 TEXT NOT NULL DEFAULT '',
    reasons              TEXT NOT NULL DEFAULT '',  -- JSON list of the match reasons shown
    state                TEXT NOT NULL DEFAULT 'pending'
                         CHECK (state IN ('pending', 'accepted', 'declined', 'expired')),
    created_at           TEXT NOT NULL,
    decided_at           TEXT,
    decided_by           INTEGER,
    expires_at           TEXT NOT NULL,
    reminded_at          TEXT,
    CHECK (requester_company_id <> target_company_id)
);
-- One live or finished introduction per ordered pair.
CREATE UNIQUE INDEX introductions_pair ON introductions (requester_company_id, target_company_id);
CREATE INDEX introductions_target ON introductions (target_company_id, state);
CREATE INDEX introductions_state ON introductions (state, expires_at);

CREATE TABLE match_dismissals (
    company_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    other_id    INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (company_id, other_id)
);

-- When each company's reps last got a "new matches" digest (at most one a day).
CREATE TABLE match_digests (
    company_id INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    sent_at    TEXT NOT NULL
);
-- The daily limit counts a company's requests of the last 24 hours.
CREATE INDEX introductions_requester ON introductions (requester_company_id, created_at);
