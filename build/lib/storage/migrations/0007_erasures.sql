-- One row per erased person. Its id is the pseudonym ("erased user #N") that stands for them
-- in the rows that stay, such as the organisers' audit log and broadcasts; the row itself
-- holds nothing about them, only the day of the erasure.
CREATE TABLE erasures (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    erased_on TEXT NOT NULL
);

-- Whose contact person, email and phone a company shows: the rep who last typed them (NULL
-- when an organiser's import did). When that rep erases themselves, the three go with them
-- even if colleagues keep the company.
ALTER TABLE companies ADD COLUMN contact_entered_by INTEGER;
-- Until now only registration wrote them from the chat: its rep is the first one.
UPDATE companies SET contact_entered_by = (
    SELECT user_id FROM company_reps WHERE company_id = companies.id
    ORDER BY joined_at, user_id LIMIT 1
) WHERE source = 'telegram';
