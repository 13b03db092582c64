-- Issue 15 point 1: in service mode an organization's admins choose the model for generated fixes, its
-- endpoint and key (sealed with the secret box like channel secrets, never returned), and a monthly budget.
-- No row: the workers' environment decides (ROACH_LLM_PROVIDER...), and with none, nothing is sent.
CREATE TABLE code_roach_llm_settings (
  organization_id     uuid PRIMARY KEY REFERENCES organizations(id) ON DELETE CASCADE,
  enabled             boolean NOT NULL DEFAULT true,
  provider            text NOT NULL CHECK (provider IN ('openai', 'anthropic', 'google', 'openai-compatible')),
  model               text NOT NULL,
  cheap_model         text,
  base_url            text,
  api_key_sealed      text,
  monthly_budget_usd  double precision CHECK (monthly_budget_usd IS NULL OR monthly_budget_usd >= 0),
  updated_at          timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE code_roach_llm_settings ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON code_roach_llm_settings USING (organization_id = roach_current_organization());

-- The month's spending of an organization is summed at every crawl start.
CREATE INDEX code_roach_llm_calls_org_month ON code_roach_llm_calls (organization_id, created_at);

-- Issue 15 point 6: what generating a fix cost, on the fix (0 for a kept answer, null for a model without a price).
ALTER TABLE fixes ADD COLUMN generation_cost_usd double precision;
