-- Issue 14 point 2: a fix may create a file (the `.env.example` entry of a secret moved to the environment).
-- Its original is "no file", which empty bytes cannot say: rolling such a fix back deletes the file.
ALTER TABLE fix_files ADD COLUMN created boolean NOT NULL DEFAULT false;
