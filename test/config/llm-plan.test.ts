import { describe, expect, it } from 'vitest';
import { loadLlmSettings } from '../../src/config/llm.js';
import { planLlm, ruleMatches } from '../../src/config/llm-plan.js';
import { ProjectConfigSchema } from '../../src/config/schema.js';

const section = (llm: unknown) => ProjectConfigSchema.parse({ llm }).llm;
const operator = loadLlmSettings({ ROACH_LLM_PROVIDER: 'openai', ROACH_LLM_MODEL: 'gpt-4.1', OPENAI_API_KEY: 'sk-operator', ROACH_LLM_BUDGET_USD: '3', ROACH_LLM_PRICE: '2,8' });
const embedded = { env: {}, projectMayNameProvider: true };

describe('planLlm: the operator decides where code goes, the project tunes', () => {
  it('is off with neither the operator nor the project naming a provider, and when the project turns it off', () => {
    expect(planLlm(null, section({}), embedded)).toEqual({ plan: null, note: null });
    expect(planLlm(operator, section({ enabled: false }), embedded)).toEqual({ plan: null, note: null });
  });

  it('lets the project pick the model, narrow the rules and lower the limits, never raise the budget or concurrency', () => {
    const { plan, note } = planLlm(operator, section({ model: 'gpt-4.1-mini', cheapModel: 'gpt-4.1-nano', rules: ['js/*'], excludeRules: ['js/no-var'], maxFixes: 20, maxCostUsd: 10, concurrency: 16, timeoutMs: 600_000 }), embedded);
    expect(note).toBeNull();
    expect(plan?.settings).toMatchObject({ provider: 'openai', model: 'gpt-4.1-mini', cheapModel: 'gpt-4.1-nano', apiKey: 'sk-operator', concurrency: 4, timeoutMs: 600_000, price: null });
    expect(plan?.budgets).toEqual([{ usd: 3, label: '3.00 USD per crawl' }, { usd: 10, label: '10.00 USD per crawl (.roach.yml llm.maxCostUsd)' }]);
    expect(plan).toMatchObject({ maxFixes: 20, rules: ['js/*'], excludeRules: ['js/no-var'], cheapFor: { severities: ['low'], rules: [] } });
  });

  it('keeps the operator’s provider and model when the project names another provider, and says so', () => {
    const { plan, note } = planLlm(operator, section({ provider: 'anthropic', model: 'claude-haiku-4-5' }), embedded);
    expect(plan?.settings).toMatchObject({ provider: 'openai', model: 'gpt-4.1', price: { inputPerMillion: 2, outputPerMillion: 8 } });
    expect(note).toMatch(/names llm.provider anthropic, but the operator's provider is openai/);
  });

  it('takes the project’s provider in embedded runs with its key from the usual variable; never in the service', () => {
    const named = planLlm(null, section({ provider: 'anthropic', model: 'claude-haiku-4-5' }), { env: { ANTHROPIC_API_KEY: 'sk-ant' }, projectMayNameProvider: true });
    expect(named.plan?.settings).toMatchObject({ provider: 'anthropic', model: 'claude-haiku-4-5', apiKey: 'sk-ant' });
    const noKey = planLlm(null, section({ provider: 'anthropic', model: 'claude-haiku-4-5' }), embedded);
    expect(noKey).toEqual({ plan: null, note: expect.stringMatching(/names llm.provider anthropic, but .*ANTHROPIC_API_KEY must hold its API key: no generated fixes/) });
    const service = planLlm(null, section({ provider: 'anthropic', model: 'claude-haiku-4-5' }), { env: { ANTHROPIC_API_KEY: 'sk-ant' }, projectMayNameProvider: false });
    expect(service.plan).toBeNull();
    expect(service.note).toMatch(/a repository cannot choose where its code is sent/);
  });

  it('refuses what a section must not hold: keys, endpoints, unknown fields, bad values', () => {
    expect(() => section({ apiKey: 'sk-x' })).toThrow(/apiKey/);
    expect(() => section({ baseUrl: 'http://evil.example/v1' })).toThrow(/baseUrl/);
    expect(() => section({ provider: 'gpt' })).toThrow();
    expect(() => section({ model: 'gpt 4' })).toThrow(/model name/);
    expect(() => section({ maxCostUsd: -1 })).toThrow();
  });

  it('matches rule ids exactly or by prefix', () => {
    expect(ruleMatches('js/no-sql-injection', ['js/*'])).toBe(true);
    expect(ruleMatches('py/no-sql-injection', ['js/*'])).toBe(false);
    expect(ruleMatches('js/no-var', ['js/no-var'])).toBe(true);
    expect(ruleMatches('js/no-var-x', ['js/no-var'])).toBe(false);
  });
});
