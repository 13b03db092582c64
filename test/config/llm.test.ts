import { describe, expect, it } from 'vitest';
import { loadLlmSettings } from '../../src/config/llm.js';

describe('loadLlmSettings', () => {
  it('is off without a provider', () => {
    expect(loadLlmSettings({})).toBeNull();
    expect(loadLlmSettings({ ROACH_LLM_PROVIDER: '  ', OPENAI_API_KEY: 'sk-x' })).toBeNull();
  });

  it("reads the model, the provider's own key variable, and the limits, frozen", () => {
    const settings = loadLlmSettings({ ROACH_LLM_PROVIDER: 'anthropic', ROACH_LLM_MODEL: 'claude-x', ANTHROPIC_API_KEY: 'key', ROACH_LLM_TIMEOUT_MS: '30000' });
    expect(settings).toEqual({ provider: 'anthropic', model: 'claude-x', baseUrl: null, apiKey: 'key', timeoutMs: 30_000, maxRetries: 2, budgetUsdPerCrawl: null, concurrency: 4, price: null, cheapModel: null, maxFixesPerCrawl: null });
    expect(Object.isFrozen(settings)).toBe(true);
    expect(loadLlmSettings({ ROACH_LLM_PROVIDER: 'openai-compatible', ROACH_LLM_MODEL: 'qwen', ROACH_LLM_BASE_URL: 'http://127.0.0.1:11434/v1' })).toMatchObject({ apiKey: null, baseUrl: 'http://127.0.0.1:11434/v1' });
  });

  it('fails naming what is wrong', () => {
    expect(() => loadLlmSettings({ ROACH_LLM_PROVIDER: 'gpt' })).toThrow(/ROACH_LLM_PROVIDER/);
    expect(() => loadLlmSettings({ ROACH_LLM_PROVIDER: 'openai', ROACH_LLM_MODEL: 'gpt-x' })).toThrow(/OPENAI_API_KEY must hold its API key/);
    expect(() => loadLlmSettings({ ROACH_LLM_PROVIDER: 'openai-compatible', ROACH_LLM_MODEL: 'm' })).toThrow(/ROACH_LLM_BASE_URL must give the endpoint/);
    expect(() => loadLlmSettings({ ROACH_LLM_PROVIDER: 'google', ROACH_LLM_MODEL: 'g', GOOGLE_GENERATIVE_AI_API_KEY: 'k', ROACH_LLM_MAX_RETRIES: 'many' })).toThrow(/ROACH_LLM_MAX_RETRIES must be a whole number from 0 to 10/);
    expect(() => loadLlmSettings({ ROACH_LLM_PROVIDER: 'openai-compatible', ROACH_LLM_MODEL: 'm', ROACH_LLM_BASE_URL: 'ftp://x' })).toThrow(/ROACH_LLM_BASE_URL/);
    expect(() => loadLlmSettings({ ROACH_LLM_PROVIDER: 'openai-compatible', ROACH_LLM_MODEL: 'm', ROACH_LLM_BASE_URL: 'http://x/v1', ROACH_LLM_BUDGET_USD: '-1' })).toThrow(/ROACH_LLM_BUDGET_USD must be an amount in USD/);
    expect(() => loadLlmSettings({ ROACH_LLM_PROVIDER: 'openai-compatible', ROACH_LLM_MODEL: 'm', ROACH_LLM_BASE_URL: 'http://x/v1', ROACH_LLM_PRICE: '0.15' })).toThrow(/ROACH_LLM_PRICE must be "input,output"/);
    expect(() => loadLlmSettings({ ROACH_LLM_PROVIDER: 'openai-compatible', ROACH_LLM_MODEL: 'm', ROACH_LLM_BASE_URL: 'http://x/v1', ROACH_LLM_MAX_FIXES: '2.5' })).toThrow(/ROACH_LLM_MAX_FIXES must be a whole number \(0 or more\), got "2.5"/);
    expect(loadLlmSettings({ ROACH_LLM_PROVIDER: 'openai-compatible', ROACH_LLM_MODEL: 'm', ROACH_LLM_BASE_URL: 'http://x/v1', ROACH_LLM_MAX_FIXES: '20', ROACH_LLM_CHEAP_MODEL: 'small' })).toMatchObject({ maxFixesPerCrawl: 20, cheapModel: 'small' });
    expect(loadLlmSettings({ ROACH_LLM_PROVIDER: 'openai-compatible', ROACH_LLM_MODEL: 'm', ROACH_LLM_BASE_URL: 'http://x/v1', ROACH_LLM_PRICE: '0.2, 0.8' })?.price).toEqual({ inputPerMillion: 0.2, outputPerMillion: 0.8 });
  });
});
