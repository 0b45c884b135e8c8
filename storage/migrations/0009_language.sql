-- The language a user chose with /language (en, ro, ur); NULL: follow their Telegram client.
ALTER TABLE users ADD COLUMN language TEXT;
