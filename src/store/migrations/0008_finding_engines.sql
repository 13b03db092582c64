-- Engines that reported an issue (roach, eslint, oxlint, ts, or a SARIF tool's name). Empty for issues only
-- the built-in AST engine found; several when duplicates of one defect from different engines were merged.
ALTER TABLE code_roach_issues ADD COLUMN engines text[] NOT NULL DEFAULT '{}';
