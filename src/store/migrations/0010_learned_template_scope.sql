-- A learned template belongs to the project whose fixes taught it: another project uses it only when
-- both share their learning (projects.share_patterns, migration 0005), as with patterns' best fixes.
-- Rows from before this migration have no project and stay visible organization-wide.

ALTER TABLE code_roach_learned_templates ADD COLUMN project_id uuid REFERENCES projects(id) ON DELETE CASCADE;

-- The organization-wide uniqueness of 0006 becomes per project (its generated name is looked up).
DO $$
DECLARE
  c text;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint WHERE conrelid = 'code_roach_learned_templates'::regclass AND contype = 'u' LOOP
    EXECUTE format('ALTER TABLE code_roach_learned_templates DROP CONSTRAINT %I', c);
  END LOOP;
END $$;
CREATE UNIQUE INDEX code_roach_learned_templates_project_key
  ON code_roach_learned_templates (project_id, pattern_fingerprint, match_pattern, rewrite);
