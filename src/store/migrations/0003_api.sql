-- API access: keys for programmatic clients and the audit log of every mutating request.

CREATE TABLE api_keys (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  name             text NOT NULL,
  -- The first characters of the key (e.g. "rk_live_ab12"), shown in listings so people can tell keys apart.
  prefix           text NOT NULL,
  -- SHA-256 of the whole key: the key itself is shown once, at creation, and never stored.
  key_hash         text NOT NULL UNIQUE,
  role             text NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
  -- Empty: every project of the organization.
  project_ids      uuid[] NOT NULL DEFAULT '{}',
  created_by       uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_used_at     timestamptz,
  revoked_at       timestamptz
);
CREATE INDEX api_keys_organization_idx ON api_keys (organization_id);

CREATE TABLE audit_log (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  organization_id  uuid REFERENCES organizations(id) ON DELETE CASCADE,
  actor            text NOT NULL,
  action           text NOT NULL,
  target           text,
  outcome          text NOT NULL,
  status_code      integer,
  request_id       text,
  ip               text,
  details          jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_organization_created_idx ON audit_log (organization_id, created_at DESC, id DESC);

ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys USING (organization_id = roach_current_organization());
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log USING (organization_id = roach_current_organization());
-- Default privileges (migration 0002) grant the tenant role these tables; sequences are granted here.
DO $$
BEGIN
  EXECUTE format('GRANT USAGE ON ALL SEQUENCES IN SCHEMA %I TO roach_tenant', current_schema());
END $$;
