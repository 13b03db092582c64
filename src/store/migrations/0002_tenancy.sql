-- Multi-tenancy: users, memberships with roles, and row-level security as a second wall behind the
-- organization scoping of every repository call. Runs unchanged on PGlite and PostgreSQL.

CREATE TABLE users (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- The identity provider's subject (JWT `sub`); email is informational.
  subject     text NOT NULL UNIQUE,
  email       text,
  name        text,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
  organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  user_id          uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role             text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_user_idx ON memberships (user_id);

-- A project role narrows or widens what an organization role gives on one project.
CREATE TABLE project_memberships (
  project_id  uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, user_id)
);

-- Which queue job started a crawl: a retried job finds and closes the attempt it interrupted.
ALTER TABLE crawls ADD COLUMN job_id text;
CREATE INDEX crawls_job_idx ON crawls (job_id) WHERE job_id IS NOT NULL;

-- Keyset pagination of a project's issues (newest first, id breaks ties).
CREATE INDEX code_roach_issues_project_created_idx ON code_roach_issues (project_id, created_at DESC, id DESC);

-- The tenant the current transaction acts for (set by the store with set_config(..., true)).
CREATE FUNCTION roach_current_organization() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('roach.organization_id', true), '')::uuid $$;

-- Tenant-scoped work runs as this role (SET LOCAL ROLE), which row-level security applies to even
-- when the connection itself is a superuser. Roles are cluster-wide, hence the existence check.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'roach_tenant') THEN
    CREATE ROLE roach_tenant NOLOGIN;
  END IF;
  -- A non-superuser service account must be able to SET ROLE to it.
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT roach_tenant TO %I', current_user);
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO roach_tenant', current_schema());
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO roach_tenant', current_schema());
  EXECUTE format('GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA %I TO roach_tenant', current_schema());
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO roach_tenant', current_schema());
END $$;
REVOKE ALL ON schema_migrations FROM roach_tenant;

ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organizations USING (id = roach_current_organization());

ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON projects USING (organization_id = roach_current_organization());

ALTER TABLE code_roach_patterns ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON code_roach_patterns USING (organization_id = roach_current_organization());

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON memberships USING (organization_id = roach_current_organization());

-- A tenant sees the users who are its members, and no one else.
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users USING (id IN (SELECT user_id FROM memberships));

-- Tables keyed by project: visible when the project is (projects is itself policed above).
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['crawls', 'code_roach_files', 'code_roach_issues', 'fixes', 'code_roach_blobs', 'fix_files',
                           'code_roach_file_health', 'code_roach_analytics', 'project_memberships']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I USING (project_id IN (SELECT id FROM projects))', t);
  END LOOP;
END $$;
