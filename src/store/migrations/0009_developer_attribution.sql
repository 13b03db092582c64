-- Who introduced and who fixed each issue (from git blame), projects cloned from a git URL, and
-- notification channel secrets sealed at rest. Authors are stored as normalised e-mail addresses and
-- display names only: no source text, no commit messages.

ALTER TABLE code_roach_issues
  ADD COLUMN introduced_by      text,
  ADD COLUMN introduced_name    text,
  ADD COLUMN introduced_commit  text,
  ADD COLUMN introduced_at      timestamptz,
  ADD COLUMN fixed_by           text,
  ADD COLUMN fixed_name         text,
  ADD COLUMN fixed_commit       text,
  ADD COLUMN fixed_at           timestamptz,
  -- Whether the resolution was looked at (blame or fix record); reset whenever the status changes.
  ADD COLUMN fix_attributed     boolean NOT NULL DEFAULT false;
-- Resolutions from before attribution existed are not attributed after the fact (the lines moved on).
UPDATE code_roach_issues SET fix_attributed = true WHERE status = 'resolved';
CREATE INDEX code_roach_issues_project_introduced_idx ON code_roach_issues (project_id, introduced_by) WHERE introduced_by IS NOT NULL;
CREATE INDEX code_roach_issues_project_fixed_idx ON code_roach_issues (project_id, fixed_by) WHERE fixed_by IS NOT NULL;

-- A reopened issue loses its fixer and a newly resolved one waits for attribution, whichever
-- repository function changed its status.
CREATE FUNCTION roach_reset_fix_attribution() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status THEN
    NEW.fixed_by := NULL;
    NEW.fixed_name := NULL;
    NEW.fixed_commit := NULL;
    NEW.fixed_at := NULL;
    NEW.fix_attributed := false;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER code_roach_issues_fix_attribution BEFORE UPDATE OF status ON code_roach_issues
  FOR EACH ROW EXECUTE FUNCTION roach_reset_fix_attribution();

-- Projects registered from a git URL: cloned into the server's workspace and fetched before each crawl.
ALTER TABLE projects
  ADD COLUMN git_url text,
  ADD COLUMN git_ref text;

-- Channel URLs (Slack's carry their token) and per-channel signing secrets as AES-256-GCM envelopes
-- (domain/secret-box.ts). Rows from before are sealed by the service at start-up, which has the key.
ALTER TABLE notification_channels
  ADD COLUMN url_sealed    text,
  ADD COLUMN secret_sealed text,
  ALTER COLUMN url DROP NOT NULL;
