-- 1:1 meetings (issue 12): meeting blocks on the agenda, the meetings in their slots, and what
-- the companies say about them. Times are ISO 8601 UTC, as everywhere.

-- An agenda session is a talk (the default) or a block of 1:1 meeting slots: slot_minutes
-- long each, `tables` meetings at once in each slot.
ALTER TABLE agenda_sessions ADD COLUMN kind TEXT NOT NULL DEFAULT 'talk'
    CHECK (kind IN ('talk', 'meetings'));
ALTER TABLE agenda_sessions ADD COLUMN slot_minutes INTEGER NOT NULL DEFAULT 20
    CHECK (slot_minutes BETWEEN 5 AND 240);
ALTER TABLE agenda_sessions ADD COLUMN tables INTEGER NOT NULL DEFAULT 0
    CHECK (tables >= 0);

-- A meeting between two companies (company_a < company_b) in one slot of a meeting block.
-- Live while proposed or confirmed; a live meeting holds a seat for each company and a table.
CREATE TABLE meetings (
    id                INTEGER PRIMARY KEY,
    company_a         INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    company_b         INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    block_id          INTEGER NOT NULL REFERENCES agenda_sessions (id) ON DELETE CASCADE,
    starts_at         TEXT NOT NULL,
    ends_at           TEXT NOT NULL,
    table_no          INTEGER NOT NULL CHECK (table_no >= 1),
    state             TEXT NOT NULL
                      CHECK (state IN ('proposed', 'confirmed', 'declined', 'cancelled', 'expired')),
    source            TEXT NOT NULL CHECK (source IN ('rep', 'organisers')),
    -- The company waiting for the other's answer to a proposal (NULL: placed by organisers).
    proposer_company  INTEGER,
    requested_by      INTEGER,          -- the rep (telegram id) who proposed the current slot
    decided_by        INTEGER,          -- the rep who confirmed, declined or cancelled
    rev               INTEGER NOT NULL DEFAULT 1,  -- bumped at every change; buttons carry it
    token             TEXT NOT NULL UNIQUE,        -- the video room's unguessable name
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    decided_at        TEXT,
    feedback_asked_at TEXT,
    CHECK (company_a < company_b),
    CHECK (ends_at > starts_at),
    CHECK (proposer_company IS NULL OR proposer_company IN (company_a, company_b))
);
CREATE INDEX meetings_a ON meetings (company_a, state);
CREATE INDEX meetings_b ON meetings (company_b, state);
CREATE INDEX meetings_start ON meetings (starts_at, state);
-- At most one live meeting per table of a slot...
CREATE UNIQUE INDEX meetings_table ON meetings (block_id, starts_at, table_no)
    WHERE state IN ('proposed', 'confirmed');

-- ...and a slot has only its block's tables.
CREATE TRIGGER meetings_table_in_block BEFORE INSERT ON meetings
WHEN NEW.table_no > (SELECT tables FROM agenda_sessions WHERE id = NEW.block_id)
BEGIN
    SELECT RAISE(ABORT, 'meetings: every table of this slot is taken');
END;
CREATE TRIGGER meetings_table_in_block_moved BEFORE UPDATE OF table_no, block_id ON meetings
WHEN NEW.table_no > (SELECT tables FROM agenda_sessions WHERE id = NEW.block_id)
BEGIN
    SELECT RAISE(ABORT, 'meetings: every table of this slot is taken');
END;

-- No double booking, held by the database itself: a company has at most one seat per slot
-- start, and the triggers below keep a seat for each company of every live meeting (and
-- none for a meeting that is no longer live). A second live meeting for a company at the
-- same time fails its INSERT or UPDATE with a constraint error, whatever the code checked.
CREATE TABLE meeting_seats (
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    slot_start TEXT NOT NULL,
    meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    PRIMARY KEY (company_id, slot_start)
);
CREATE INDEX meeting_seats_meeting ON meeting_seats (meeting_id);

CREATE TRIGGER meetings_seat_new AFTER INSERT ON meetings
WHEN NEW.state IN ('proposed', 'confirmed')
BEGIN
    INSERT INTO meeting_seats (company_id, slot_start, meeting_id)
    VALUES (NEW.company_a, NEW.starts_at, NEW.id), (NEW.company_b, NEW.starts_at, NEW.id);
END;

CREATE TRIGGER meetings_seat_change AFTER UPDATE OF state, starts_at ON meetings
BEGIN
    DELETE FROM meeting_seats WHERE meeting_id = NEW.id;
    INSERT INTO meeting_seats (company_id, slot_start, meeting_id)
    SELECT NEW.company_a, NEW.starts_at, NEW.id WHERE NEW.state IN ('proposed', 'confirmed')
    UNION ALL
    SELECT NEW.company_b, NEW.starts_at, NEW.id WHERE NEW.state IN ('proposed', 'confirmed');
END;

-- Slots a company cannot attend (/availability); every slot is free by default.
CREATE TABLE meeting_unavailable (
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    slot_start TEXT NOT NULL,
    PRIMARY KEY (company_id, slot_start)
);

-- "Let the organisers book meetings for me", ticked by a rep for the whole company.
CREATE TABLE meeting_preferences (
    company_id      INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    organisers_book INTEGER NOT NULL DEFAULT 0,
    updated_at      TEXT NOT NULL
);

-- After a meeting: did it take place, and how was it (per rep who answered).
CREATE TABLE meeting_feedback (
    meeting_id  INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    user_id     INTEGER NOT NULL,
    held        TEXT NOT NULL CHECK (held IN ('yes', 'no', 'moved')),
    rating      INTEGER CHECK (rating BETWEEN 1 AND 5),
    note        TEXT NOT NULL DEFAULT '',
    answered_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, user_id)
);

-- The organisers' /schedule previews, applied at most once.
CREATE TABLE meeting_plans (
    id          INTEGER PRIMARY KEY,
    created_by  INTEGER,
    created_at  TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'preview' CHECK (state IN ('preview', 'applied', 'cancelled')),
    plan        TEXT NOT NULL,      -- JSON list of the meetings to place
    finished_at TEXT
);
