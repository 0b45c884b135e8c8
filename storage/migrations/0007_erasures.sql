-- One row per erased person. Its id is the pseudonym ("erased user #N") that stands for them
-- in the rows that stay, such as the organisers' audit log and broadcasts; the row itself
-- holds nothing about them, only the day of the erasure.
CREATE TABLE erasures (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    erased_on TEXT NOT NULL
);
