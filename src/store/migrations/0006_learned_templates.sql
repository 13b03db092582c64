-- Fix templates learned from human fixes (approved in review, or found in the project's git history)
-- by anti-unification. A template holds only the generalised pattern and rewrite with metavariable
-- names, never the source it was learned from. Its success record is read from the fixes it produced.

CREATE TABLE code_roach_learned_templates (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  pattern_fingerprint  text NOT NULL,
  rule_id              text NOT NULL,
  shape                text NOT NULL,
  language             text NOT NULL,
  match_pattern        text NOT NULL,
  rewrite              text NOT NULL,
  metavariables        text[] NOT NULL DEFAULT '{}',
  example_count        integer NOT NULL CHECK (example_count >= 2),
  source               text NOT NULL CHECK (source IN ('review', 'history')),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, pattern_fingerprint, match_pattern, rewrite)
);
CREATE INDEX code_roach_learned_templates_pattern_idx ON code_roach_learned_templates (organization_id, pattern_fingerprint);

-- Commits whose history was mined, so `roach learn --from-history` never mines one twice.
CREATE TABLE code_roach_mined_commits (
  project_id   uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  commit_sha   text NOT NULL,
  examples     integer NOT NULL DEFAULT 0,
  mined_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, commit_sha)
);

ALTER TABLE code_roach_learned_templates ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON code_roach_learned_templates USING (organization_id = roach_current_organization());
ALTER TABLE code_roach_mined_commits ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON code_roach_mined_commits USING (project_id IN (SELECT id FROM projects));
