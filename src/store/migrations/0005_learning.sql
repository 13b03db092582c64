-- Learning from outcomes: how each fix ended, the per-project state of patterns for projects that
-- keep their learning to themselves, and the history that explains every change of a pattern.

-- Opt-in: a sharing project's decisions read, and its outcomes feed, the organization's pool
-- (code_roach_patterns); any other project learns from its own outcomes only.
ALTER TABLE projects ADD COLUMN share_patterns boolean NOT NULL DEFAULT false;

-- The current outcome of each fix (a later outcome replaces an earlier one: an applied fix rolled
-- back or reverted stops counting as a success). Copies of the fix's pattern, strategy, rule and
-- confidence at decision time, so calibration and pattern statistics are one scan of this table.
CREATE TABLE code_roach_fix_outcomes (
  fix_id               uuid PRIMARY KEY REFERENCES fixes(id) ON DELETE CASCADE,
  organization_id      uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id           uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  pattern_fingerprint  text NOT NULL,
  rule_id              text NOT NULL,
  strategy             text NOT NULL,
  safety               text NOT NULL CHECK (safety IN ('safe', 'unsafe')),
  confidence           double precision NOT NULL,
  outcome              text NOT NULL CHECK (outcome IN ('verified', 'failed_validation', 'failed_apply', 'rejected', 'rolled_back', 'reverted', 're_edited')),
  success              boolean NOT NULL,
  -- Which validation step failed, who rejected, what the follow-up saw.
  detail               text,
  recorded_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX code_roach_fix_outcomes_pattern_idx ON code_roach_fix_outcomes (organization_id, pattern_fingerprint);
CREATE INDEX code_roach_fix_outcomes_project_idx ON code_roach_fix_outcomes (project_id, pattern_fingerprint);

-- When the organization's pool pattern was last restored by a human (deprecation then waits for
-- enough new outcomes before it can strike again).
ALTER TABLE code_roach_patterns ADD COLUMN restored_at timestamptz;

-- A non-sharing project's own view of a pattern: deprecation and restoration apply to it alone.
CREATE TABLE code_roach_project_patterns (
  project_id   uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  fingerprint  text NOT NULL,
  confidence   double precision NOT NULL DEFAULT 0,
  deprecated   boolean NOT NULL DEFAULT false,
  restored_at  timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, fingerprint)
);

-- Why a pattern's numbers or state changed: one row per outcome, deprecation and restoration.
-- project_id names the scope of a project-only change; NULL is the organization's pool.
CREATE TABLE code_roach_pattern_history (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  fingerprint      text NOT NULL,
  project_id       uuid REFERENCES projects(id) ON DELETE CASCADE,
  fix_id           uuid REFERENCES fixes(id) ON DELETE SET NULL,
  event            text NOT NULL CHECK (event IN ('outcome', 'deprecated', 'restored')),
  detail           text NOT NULL,
  successes        integer NOT NULL,
  failures         integer NOT NULL,
  lower_bound      double precision NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX code_roach_pattern_history_pattern_idx ON code_roach_pattern_history (organization_id, fingerprint, id);

ALTER TABLE code_roach_fix_outcomes ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON code_roach_fix_outcomes USING (organization_id = roach_current_organization());
ALTER TABLE code_roach_project_patterns ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON code_roach_project_patterns USING (project_id IN (SELECT id FROM projects));
ALTER TABLE code_roach_pattern_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON code_roach_pattern_history USING (organization_id = roach_current_organization());
