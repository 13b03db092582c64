-- Core schema of Code Roach. Runs unchanged on embedded PGlite and on a PostgreSQL server.
-- Append-only: later changes go into new numbered files.

CREATE TABLE organizations (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug        text NOT NULL UNIQUE,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE projects (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name             text NOT NULL,
  root_path        text NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, root_path)
);

CREATE TABLE crawls (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id   uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  status       text NOT NULL CHECK (status IN ('running', 'completed', 'failed')),
  options      jsonb NOT NULL DEFAULT '{}'::jsonb,
  stats        jsonb NOT NULL DEFAULT '{}'::jsonb,
  error        text,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz
);
CREATE INDEX crawls_project_started_idx ON crawls (project_id, started_at DESC);

-- What was last seen of each file: the incremental crawl skips files whose size+mtime, then hash, match.
CREATE TABLE code_roach_files (
  project_id     uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  file_path      text NOT NULL,
  size_bytes     bigint NOT NULL,
  mtime_ms       double precision NOT NULL,
  sha256         text NOT NULL,
  language       text,
  last_crawl_id  uuid REFERENCES crawls(id) ON DELETE SET NULL,
  PRIMARY KEY (project_id, file_path)
);

CREATE TABLE code_roach_issues (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id      uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  fingerprint     text NOT NULL,
  pattern_fingerprint text NOT NULL,
  file_path       text NOT NULL,
  line            integer NOT NULL,
  column_number   integer NOT NULL,
  end_line        integer NOT NULL,
  end_column      integer NOT NULL,
  error_type      text NOT NULL,
  error_message   text NOT NULL,
  error_severity  text NOT NULL CHECK (error_severity IN ('critical', 'high', 'medium', 'low')),
  category        text NOT NULL,
  cwe             integer,
  snippet         text NOT NULL,
  status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
  review_status   text NOT NULL DEFAULT 'none' CHECK (review_status IN ('none', 'pending', 'approved', 'rejected')),
  fix_applied     boolean NOT NULL DEFAULT false,
  first_seen_crawl_id uuid REFERENCES crawls(id) ON DELETE SET NULL,
  last_seen_crawl_id  uuid REFERENCES crawls(id) ON DELETE SET NULL,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now(),
  resolved_at     timestamptz,
  resolved_by     text,
  UNIQUE (project_id, fingerprint)
);
CREATE INDEX code_roach_issues_project_review_idx ON code_roach_issues (project_id, review_status);
CREATE INDEX code_roach_issues_severity_idx ON code_roach_issues (error_severity);
CREATE INDEX code_roach_issues_pattern_idx ON code_roach_issues (pattern_fingerprint);
CREATE INDEX code_roach_issues_project_file_idx ON code_roach_issues (project_id, file_path);

CREATE TABLE code_roach_patterns (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id   uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  fingerprint       text NOT NULL,
  rule_id           text NOT NULL,
  error_pattern     jsonb NOT NULL,
  best_fix          jsonb,
  occurrence_count  integer NOT NULL DEFAULT 0,
  success_count     integer NOT NULL DEFAULT 0,
  failure_count     integer NOT NULL DEFAULT 0,
  confidence        double precision NOT NULL DEFAULT 0,
  deprecated        boolean NOT NULL DEFAULT false,
  created_at        timestamptz NOT NULL DEFAULT now(),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organization_id, fingerprint)
);
CREATE INDEX code_roach_patterns_fingerprint_idx ON code_roach_patterns (fingerprint);

-- One fix = one unit of edits (possibly several files). status is the fix's life; the outcome columns
-- record how it ended, which is what learning reads.
CREATE TABLE fixes (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id           uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  issue_id             uuid NOT NULL REFERENCES code_roach_issues(id) ON DELETE CASCADE,
  crawl_id             uuid REFERENCES crawls(id) ON DELETE SET NULL,
  rule_id              text NOT NULL,
  pattern_fingerprint  text NOT NULL,
  strategy             text NOT NULL,
  safety               text NOT NULL CHECK (safety IN ('safe', 'unsafe')),
  edits                jsonb NOT NULL,
  template             text,
  diff                 text NOT NULL,
  confidence           double precision NOT NULL,
  validation           jsonb NOT NULL DEFAULT '[]'::jsonb,
  status               text NOT NULL CHECK (status IN ('pending', 'applying', 'applied', 'rejected', 'rolled_back', 'failed_validation', 'failed_apply', 'superseded')),
  status_reason        text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  decided_at           timestamptz,
  applied_at           timestamptz,
  rolled_back_at       timestamptz,
  decided_by           text
);
CREATE INDEX fixes_project_status_idx ON fixes (project_id, status);
CREATE INDEX fixes_issue_idx ON fixes (issue_id);
CREATE INDEX fixes_pattern_idx ON fixes (pattern_fingerprint);

-- File contents by hash, stored once however many fixes were made against them.
CREATE TABLE code_roach_blobs (
  project_id  uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  sha256      text NOT NULL,
  bytes       bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, sha256)
);

-- Every file a fix touches: the exact bytes before (a blob) and the hash after, so a rollback
-- restores them exactly and refuses when the file moved on.
CREATE TABLE fix_files (
  fix_id           uuid NOT NULL REFERENCES fixes(id) ON DELETE CASCADE,
  project_id       uuid NOT NULL,
  file_path        text NOT NULL,
  original_sha256  text NOT NULL,
  fixed_sha256     text NOT NULL,
  PRIMARY KEY (fix_id, file_path),
  FOREIGN KEY (project_id, original_sha256) REFERENCES code_roach_blobs(project_id, sha256)
);

CREATE TABLE code_roach_file_health (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id    uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  crawl_id      uuid REFERENCES crawls(id) ON DELETE CASCADE,
  file_path     text NOT NULL,
  health_score  double precision NOT NULL,
  issue_count   integer NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX code_roach_file_health_project_recorded_idx ON code_roach_file_health (project_id, recorded_at);

CREATE TABLE code_roach_analytics (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id    uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  crawl_id      uuid REFERENCES crawls(id) ON DELETE CASCADE,
  metric_type   text NOT NULL,
  metric_value  jsonb NOT NULL,
  recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX code_roach_analytics_project_recorded_idx ON code_roach_analytics (project_id, recorded_at);
