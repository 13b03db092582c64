-- Issue 13 point 3: per-file counts of convention rules (how often a file follows and breaks each one), so an
-- incremental crawl can judge the project's practice without re-reading unchanged files, and the project
-- decisions (rules its ESLint configuration or practice turns off) the file's findings were filtered with.
ALTER TABLE code_roach_files ADD COLUMN convention_counts jsonb;
ALTER TABLE code_roach_files ADD COLUMN decisions text;
