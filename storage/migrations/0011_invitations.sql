-- Claim invitations e-mailed to imported companies that nobody has claimed in Telegram yet.
-- One row per attempt. A row is written ('sending') before the e-mail goes out and finished
-- after the server answered, so two runs (the chat and the command line) never mail the
-- same company twice, and a crash in between leaves 'sending': maybe sent, never repeated.
-- The server's answer is kept without the address (it is the company's, not ours to copy).
CREATE TABLE company_invitations (
    id          INTEGER PRIMARY KEY,
    company_id  INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    kind        TEXT NOT NULL CHECK (kind IN ('invitation', 'reminder')),
    state       TEXT NOT NULL CHECK (state IN ('sending', 'sent', 'bounced', 'failed')),
    answer      TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX company_invitations_company ON company_invitations (company_id, created_at);
-- At most one invitation and one reminder in flight or sent per company.
CREATE UNIQUE INDEX company_invitations_once ON company_invitations (company_id, kind)
    WHERE state IN ('sending', 'sent');
