-- Anonymised counts kept when personal data is purged after the forum (python -m bot purge):
-- the funnel and the totals as they stood just before, so the report still tells what the
-- forum produced. Numbers only; nothing here names a person or a company.
CREATE TABLE retention_counts (
    purged_at TEXT NOT NULL,
    cutoff    TEXT NOT NULL,   -- the DATE of `purge --before DATE`
    metric    TEXT NOT NULL,
    value     INTEGER NOT NULL,
    PRIMARY KEY (purged_at, metric)
);
