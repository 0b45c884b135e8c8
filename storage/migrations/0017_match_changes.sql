-- What changed for matching, so that one process's matching index (bot/services/match_index.py)
-- catches up one company or one pair at a time instead of rebuilding. Triggers write it, so
-- every writer is seen: the bot, the CLI in another process, an erasure, a cascade.
-- A row names a company whose profile, sectors, intents, consent or pause changed (or that
-- was created or deleted), or a pair (other_id set) that was excluded from matching by an
-- introduction or a "not interested" (reopened = 1: that row was deleted again).
-- The process that applied the rows deletes them.
CREATE TABLE match_changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    company_id INTEGER NOT NULL,
    other_id   INTEGER,
    reopened   INTEGER NOT NULL DEFAULT 0
);

CREATE TRIGGER match_changes_company_new AFTER INSERT ON companies
BEGIN INSERT INTO match_changes (company_id) VALUES (NEW.id); END;
CREATE TRIGGER match_changes_company_edit AFTER UPDATE OF name, country, city, offers, seeks,
    size, contact_email, consent, paused ON companies
BEGIN INSERT INTO match_changes (company_id) VALUES (NEW.id); END;
CREATE TRIGGER match_changes_company_gone AFTER DELETE ON companies
BEGIN INSERT INTO match_changes (company_id) VALUES (OLD.id); END;

CREATE TRIGGER match_changes_sector_new AFTER INSERT ON company_sectors
BEGIN INSERT INTO match_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER match_changes_sector_gone AFTER DELETE ON company_sectors
BEGIN INSERT INTO match_changes (company_id) VALUES (OLD.company_id); END;
CREATE TRIGGER match_changes_sector_edit AFTER UPDATE ON company_sectors
BEGIN
    INSERT INTO match_changes (company_id) VALUES (OLD.company_id);
    INSERT INTO match_changes (company_id) VALUES (NEW.company_id);
END;

CREATE TRIGGER match_changes_intent_new AFTER INSERT ON company_partnerships
BEGIN INSERT INTO match_changes (company_id) VALUES (NEW.company_id); END;
CREATE TRIGGER match_changes_intent_gone AFTER DELETE ON company_partnerships
BEGIN INSERT INTO match_changes (company_id) VALUES (OLD.company_id); END;
CREATE TRIGGER match_changes_intent_edit AFTER UPDATE ON company_partnerships
BEGIN
    INSERT INTO match_changes (company_id) VALUES (OLD.company_id);
    INSERT INTO match_changes (company_id) VALUES (NEW.company_id);
END;

CREATE TRIGGER match_changes_intro_new AFTER INSERT ON introductions
BEGIN
    INSERT INTO match_changes (company_id, other_id)
    VALUES (NEW.requester_company_id, NEW.target_company_id);
END;
CREATE TRIGGER match_changes_intro_gone AFTER DELETE ON introductions
BEGIN
    INSERT INTO match_changes (company_id, other_id, reopened)
    VALUES (OLD.requester_company_id, OLD.target_company_id, 1);
END;
CREATE TRIGGER match_changes_dismissal_new AFTER INSERT ON match_dismissals
BEGIN
    INSERT INTO match_changes (company_id, other_id) VALUES (NEW.company_id, NEW.other_id);
END;
CREATE TRIGGER match_changes_dismissal_gone AFTER DELETE ON match_dismissals
BEGIN
    INSERT INTO match_changes (company_id, other_id, reopened)
    VALUES (OLD.company_id, OLD.other_id, 1);
END;
