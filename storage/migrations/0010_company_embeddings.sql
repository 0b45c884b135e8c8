-- Sentence embeddings of each company's offers and seeks (and of the parts a match reason
-- may quote), computed once per profile change and read by the matcher. text_key names the
-- model and the texts they were computed from: a profile edit or a new model makes the row
-- stale, and it is computed again on its next use.
CREATE TABLE company_embeddings (
    company_id INTEGER PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    model      TEXT NOT NULL,
    text_key   TEXT NOT NULL,
    dims       INTEGER NOT NULL,
    vectors    BLOB NOT NULL,  -- float16 rows, little-endian (bot.matching.vectors.pack)
    updated_at TEXT NOT NULL
);
