-- The follow-up survey: FOLLOWUP_DAYS after an accepted introduction, each side (company) is
-- asked once what came of it. The row is the question asked; the first answer of any of the
-- company's reps is kept. The note is its writer's: their erasure empties it.
CREATE TABLE followups (
    introduction_id INTEGER NOT NULL REFERENCES introductions (id) ON DELETE CASCADE,
    company_id      INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    asked_at        TEXT NOT NULL,
    answer          TEXT CHECK (answer IN ('none', 'ongoing', 'signed', 'private')),
    note            TEXT NOT NULL DEFAULT '',
    answered_by     INTEGER,
    answered_at     TEXT,
    PRIMARY KEY (introduction_id, company_id)
);
CREATE INDEX followups_answer ON followups (answer);
