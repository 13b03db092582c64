-- Issue 15 points 5 and 6: every call for a generated fix (its tokens and price), and the answers kept so a
-- re-crawl, or another project of the organization with the identical prompt, makes no new call.
CREATE TABLE code_roach_llm_answers (
  organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  provider         text NOT NULL,
  model            text NOT NULL,
  prompt_sha256    text NOT NULL,
  replacement      text NOT NULL,
  explanation      text NOT NULL,
  input_tokens     integer,
  output_tokens    integer,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organization_id, provider, model, prompt_sha256)
);

CREATE TABLE code_roach_llm_calls (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organization_id  uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
  project_id       uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  crawl_id         uuid,
  rule_id          text NOT NULL,
  provider         text NOT NULL,
  model            text NOT NULL,
  prompt_sha256    text NOT NULL,
  -- answered: the provider answered; cached: the answer was kept from an earlier call; failed: see detail
  outcome          text NOT NULL CHECK (outcome IN ('answered', 'cached', 'failed')),
  detail           text,
  input_tokens     integer,
  output_tokens    integer,
  -- null when the model has no price in the table (a local model, a new one)
  cost_usd         double precision,
  duration_ms      integer NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX code_roach_llm_calls_crawl ON code_roach_llm_calls (project_id, crawl_id);

ALTER TABLE code_roach_llm_answers ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON code_roach_llm_answers USING (organization_id = roach_current_organization());
ALTER TABLE code_roach_llm_calls ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON code_roach_llm_calls USING (organization_id = roach_current_organization());
