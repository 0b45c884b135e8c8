-- migrate: foreign_keys=off
-- The forum is data (FORUM_CONFIG, bot/forum.py): a company's country is stored as its
-- two-letter code, and its sectors and partnership intents by their stable keys. The
-- `sectors` and `partnership_intents` tables become a catalogue the bot syncs from the forum
-- file at start-up (key, label, position, active): an entry the file no longer lists stays,
-- inactive, so that the profiles that have it stay readable.
--
-- SQLite cannot drop the CHECK on the country names in place, so the tables are rebuilt with
-- every column, row, index and foreign key. The rebuild drops `companies`, which with foreign
-- keys on would cascade into every table that refers to it: the marker on the first line has
-- the migration run with foreign keys off and checked (PRAGMA foreign_key_check) before it
-- commits.
--
-- The names below are those of the forum this database was created for (0003 seeded them);
-- they appear here only to convert its old rows.

CREATE TABLE sectors_keyed (
    key      TEXT PRIMARY KEY,
    label    TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
INSERT INTO sectors_keyed (key, label, position, active)
SELECT CASE name
        WHEN 'Artificial intelligence & data' THEN 'ai'
        WHEN 'Cybersecurity' THEN 'cyber'
        WHEN 'Fintech' THEN 'fintech'
        WHEN 'Software development & product engineering' THEN 'software'
        WHEN 'IT-enabled services & BPO' THEN 'ites'
        WHEN 'Cloud & DevOps' THEN 'cloud'
        WHEN 'RPA & automation' THEN 'rpa'
        WHEN 'E-government' THEN 'egov'
        WHEN 'Telecom' THEN 'telecom'
        WHEN 'Healthtech' THEN 'health'
        WHEN 'Edtech' THEN 'edtech'
        WHEN 'E-commerce' THEN 'ecommerce'
        WHEN 'Gaming, AR/VR & creative tech' THEN 'gaming'
        WHEN 'IoT & embedded' THEN 'iot'
        WHEN 'ERP/CRM & enterprise systems' THEN 'erp'
        WHEN 'Blockchain' THEN 'blockchain'
        -- one an organiser added by hand keeps its name as its key
        ELSE name
    END, name, position, 1
FROM sectors;

CREATE TABLE partnership_intents_keyed (
    key      TEXT PRIMARY KEY,
    label    TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
INSERT INTO partnership_intents_keyed (key, label, position, active)
SELECT CASE name
        WHEN 'Outsource work to a partner' THEN 'outsource'
        WHEN 'Deliver services as a subcontractor' THEN 'subcontract'
        WHEN 'Find resellers / distributors' THEN 'find_resellers'
        WHEN 'Resell or distribute products' THEN 'resell'
        WHEN 'Seek investment' THEN 'seek_investment'
        WHEN 'Invest in companies' THEN 'invest'
        WHEN 'Hire talent / staff augmentation' THEN 'hire'
        WHEN 'Provide staff augmentation' THEN 'staff_augmentation'
        WHEN 'Get market-entry support' THEN 'get_market_entry'
        WHEN 'Offer market-entry support' THEN 'offer_market_entry'
        WHEN 'Technology partnership & integration' THEN 'tech_partnership'
        WHEN 'Joint venture' THEN 'joint_venture'
        WHEN 'R&D collaboration' THEN 'rnd'
        ELSE name
    END, name, position, 1
FROM partnership_intents;

-- The same columns as before (0003, and contact_entered_by from 0007); the country is a
-- two-letter code of the forum file instead of one of two names.
CREATE TABLE companies_keyed (
    id                 INTEGER PRIMARY KEY,
    name               TEXT NOT NULL,
    country            TEXT NOT NULL CHECK (country GLOB '[A-Z][A-Z]'),
    city               TEXT,
    offers             TEXT NOT NULL DEFAULT '',
    seeks              TEXT NOT NULL DEFAULT '',
    size               TEXT,
    website            TEXT,
    contact_name       TEXT,
    contact_email      TEXT,
    contact_phone      TEXT,
    telegram_username  TEXT,
    consent            INTEGER NOT NULL DEFAULT 0,
    paused             INTEGER NOT NULL DEFAULT 0,
    source             TEXT NOT NULL DEFAULT 'telegram' CHECK (source IN ('telegram', 'import')),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    contact_entered_by INTEGER
);
INSERT INTO companies_keyed (id, name, country, city, offers, seeks, size, website,
                             contact_name, contact_email, contact_phone, telegram_username,
                             consent, paused, source, created_at, updated_at,
                             contact_entered_by)
SELECT id, name,
       CASE country WHEN 'Romania' THEN 'RO' WHEN 'Pakistan' THEN 'PK' ELSE country END,
       city, offers, seeks, size, website, contact_name, contact_email, contact_phone,
       telegram_username, consent, paused, source, created_at, updated_at, contact_entered_by
FROM companies;

CREATE TABLE company_sectors_keyed (
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    sector     TEXT NOT NULL REFERENCES sectors (key) ON UPDATE CASCADE,
    PRIMARY KEY (company_id, sector)
);
INSERT INTO company_sectors_keyed (company_id, sector)
SELECT cs.company_id, s.key
FROM company_sectors cs JOIN sectors_keyed s ON s.label = cs.sector COLLATE NOCASE;

CREATE TABLE company_partnerships_keyed (
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    intent     TEXT NOT NULL REFERENCES partnership_intents (key) ON UPDATE CASCADE,
    PRIMARY KEY (company_id, intent)
);
INSERT INTO company_partnerships_keyed (company_id, intent)
SELECT cp.company_id, i.key
FROM company_partnerships cp JOIN partnership_intents_keyed i ON i.label = cp.intent COLLATE NOCASE;

DROP TABLE company_sectors;
DROP TABLE company_partnerships;
DROP TABLE sectors;
DROP TABLE partnership_intents;
DROP TABLE companies;
ALTER TABLE sectors_keyed RENAME TO sectors;
ALTER TABLE partnership_intents_keyed RENAME TO partnership_intents;
ALTER TABLE companies_keyed RENAME TO companies;
ALTER TABLE company_sectors_keyed RENAME TO company_sectors;
ALTER TABLE company_partnerships_keyed RENAME TO company_partnerships;

-- A re-import of the same company (same name and country) updates it.
CREATE UNIQUE INDEX companies_name_country ON companies (lower(name), country);
CREATE INDEX company_sectors_sector ON company_sectors (sector);
CREATE INDEX company_partnerships_intent ON company_partnerships (intent);

-- Broadcasts still to go out name their audience the new way too.
UPDATE broadcasts SET audience = json_set(audience, '$.value',
        CASE json_extract(audience, '$.value') WHEN 'Romania' THEN 'RO' ELSE 'PK' END)
WHERE json_extract(audience, '$.kind') = 'country'
  AND json_extract(audience, '$.value') IN ('Romania', 'Pakistan');
UPDATE broadcasts SET audience = json_set(audience, '$.value', (
        SELECT s.key FROM sectors s
        WHERE s.label = json_extract(broadcasts.audience, '$.value') COLLATE NOCASE))
WHERE json_extract(audience, '$.kind') = 'sector'
  AND EXISTS (SELECT 1 FROM sectors s
              WHERE s.label = json_extract(broadcasts.audience, '$.value') COLLATE NOCASE);

-- The catalogue keeps only what profiles use; the start-up sync adds the forum file's.
DELETE FROM sectors WHERE key NOT IN (SELECT sector FROM company_sectors);
DELETE FROM partnership_intents WHERE key NOT IN (SELECT intent FROM company_partnerships);
