-- Companies, their reps, and the taxonomies organisers can extend (seeded from FORUM.md).
CREATE TABLE sectors (
    name     TEXT PRIMARY KEY COLLATE NOCASE,
    position INTEGER NOT NULL
);
INSERT INTO sectors (name, position) VALUES
    ('Artificial intelligence & data', 1),
    ('Cybersecurity', 2),
    ('Fintech', 3),
    ('Software development & product engineering', 4),
    ('IT-enabled services & BPO', 5),
    ('Cloud & DevOps', 6),
    ('RPA & automation', 7),
    ('E-government', 8),
    ('Telecom', 9),
    ('Healthtech', 10),
    ('Edtech', 11),
    ('E-commerce', 12),
    ('Gaming, AR/VR & creative tech', 13),
    ('IoT & embedded', 14),
    ('ERP/CRM & enterprise systems', 15),
    ('Blockchain', 16);

-- complement = the intent that meets this one; a symmetric intent is its own complement.
CREATE TABLE partnership_intents (
    name       TEXT PRIMARY KEY COLLATE NOCASE,
    complement TEXT NOT NULL COLLATE NOCASE,
    position   INTEGER NOT NULL
);
INSERT INTO partnership_intents (name, complement, position) VALUES
    ('Outsource work to a partner', 'Deliver services as a subcontractor', 1),
    ('Deliver services as a subcontractor', 'Outsource work to a partner', 2),
    ('Find resellers / distributors', 'Resell or distribute products', 3),
    ('Resell or distribute products', 'Find resellers / distributors', 4),
    ('Seek investment', 'Invest in companies', 5),
    ('Invest in companies', 'Seek investment', 6),
    ('Hire talent / staff augmentation', 'Provide staff augmentation', 7),
    ('Provide staff augmentation', 'Hire talent / staff augmentation', 8),
    ('Get market-entry support', 'Offer market-entry support', 9),
    ('Offer market-entry support', 'Get market-entry support', 10),
    ('Technology partnership & integration', 'Technology partnership & integration', 11),
    ('Joint venture', 'Joint venture', 12),
    ('R&D collaboration', 'R&D collaboration', 13);

CREATE TABLE companies (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL,
    country           TEXT NOT NULL CHECK (country IN ('Romania', 'Pakistan')),
    city              TEXT,
    offers            TEXT NOT NULL DEFAULT '',
    seeks             TEXT NOT NULL DEFAULT '',
    size              TEXT,
    website           TEXT,
    contact_name      TEXT,
    contact_email     TEXT,
    contact_phone     TEXT,
    telegram_username TEXT,
    consent           INTEGER NOT NULL DEFAULT 0,
    paused            INTEGER NOT NULL DEFAULT 0,
    source            TEXT NOT NULL DEFAULT 'telegram' CHECK (source IN ('telegram', 'import')),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);
-- A re-import of the same company (same name and country) updates it.
CREATE UNIQUE INDEX companies_name_country ON companies (lower(name), country);

CREATE TABLE company_sectors (
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    sector     TEXT NOT NULL REFERENCES sectors (name) ON UPDATE CASCADE,
    PRIMARY KEY (company_id, sector)
);
CREATE INDEX company_sectors_sector ON company_sectors (sector);

CREATE TABLE company_partnerships (
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    intent     TEXT NOT NULL REFERENCES partnership_intents (name) ON UPDATE CASCADE,
    PRIMARY KEY (company_id, intent)
);

-- A user represents at most one company; a company may have several reps.
CREATE TABLE company_reps (
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL UNIQUE REFERENCES users (telegram_id) ON DELETE CASCADE,
    joined_at  TEXT NOT NULL,
    PRIMARY KEY (company_id, user_id)
);

-- One-time deep links: invitations of colleagues and claims of imported companies.
CREATE TABLE company_links (
    token      TEXT PRIMARY KEY,
    company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('invite', 'claim')),
    created_by INTEGER,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    used_by    INTEGER,
    used_at    TEXT
);
CREATE INDEX company_links_company ON company_links (company_id, kind);
