import { z } from 'zod';
import { RoachError } from '../domain/errors.js';
import { describeZodError } from '../domain/describe-zod-error.js';
import type { ModelPrice } from '../domain/llm-prices.js';

/**
 * Generated fixes (issue 15) are off unless ROACH_LLM_PROVIDER names a provider. The key comes from the
 * provider's usual variable (OPENAI_API_KEY, ANTHROPIC_API_KEY, GOOGLE_GENERATIVE_AI_API_KEY); an
 * OpenAI-compatible endpoint (Ollama, vLLM, LM Studio, a gateway) takes ROACH_LLM_BASE_URL and, when it
 * wants one, ROACH_LLM_API_KEY. Parsed once into a frozen object; a bad value fails naming the variable.
 */
export const LLM_PROVIDERS = ['openai', 'anthropic', 'google', 'openai-compatible'] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

export interface LlmSettings {
  readonly provider: LlmProvider;
  readonly model: string;
  readonly baseUrl: string | null;
  readonly apiKey: string | null;
  /** One call, retries included, may take this long. */
  readonly timeoutMs: number;
  /** Retries of a call on 429 and 5xx (with backoff). */
  readonly maxRetries: number;
  /** What one crawl may spend on calls, in USD (ROACH_LLM_BUDGET_USD); null: no limit. */
  readonly budgetUsdPerCrawl: number | null;
  /** Calls a crawl has in flight at once (ROACH_LLM_CONCURRENCY). */
  readonly concurrency: number;
  /**
   * The model's price in USD per million prompt and completion tokens (ROACH_LLM_PRICE, "input,output"),
   * over the built-in table (a negotiated rate, a model the table lacks); null: the table's.
   */
  readonly price: ModelPrice | null;
  /** A cheaper model of the same provider for low-severity or simple rules (ROACH_LLM_CHEAP_MODEL); null: none. */
  readonly cheapModel: string | null;
  /** Generated fixes asked for at most per crawl (ROACH_LLM_MAX_FIXES); null: no limit. */
  readonly maxFixesPerCrawl: number | null;
}

/** Where each provider's key is read from. */
export const KEY_VARIABLES: Readonly<Record<LlmProvider, string>> = Object.freeze({
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  google: 'GOOGLE_GENERATIVE_AI_API_KEY',
  'openai-compatible': 'ROACH_LLM_API_KEY',
});

const wholeNumber = (name: string, fallback: number, min: number, max: number) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return fallback;
      const n = Number(value);
      if (!Number.isInteger(n) || n < min || n > max) {
        context.addIssue({ code: 'custom', message: `${name} must be a whole number from ${min} to ${max}, got "${value}"` });
        return z.NEVER;
      }
      return n;
    });

/** An optional amount, 0 or more (null when unset); `whole`: integers only. */
const optionalAmount = (name: string, whole: boolean, expected: string) =>
  z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined || value.trim() === '') return null;
      const n = Number(value);
      if (!Number.isFinite(n) || n < 0 || (whole && !Number.isInteger(n))) {
        context.addIssue({ code: 'custom', message: `${name} must be ${expected}, got "${value}"` });
        return z.NEVER;
      }
      return n;
    });

const LlmEnvironmentSchema = z.object({
  ROACH_LLM_PROVIDER: z.enum(LLM_PROVIDERS).optional(),
  ROACH_LLM_MODEL: z.string().trim().min(1, 'must name a model').optional(),
  ROACH_LLM_CHEAP_MODEL: z.string().trim().min(1, 'must name a model').optional(),
  ROACH_LLM_MAX_FIXES: optionalAmount('ROACH_LLM_MAX_FIXES', true, 'a whole number (0 or more)'),
  ROACH_LLM_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  ROACH_LLM_TIMEOUT_MS: wholeNumber('ROACH_LLM_TIMEOUT_MS', 120_000, 1_000, 3_600_000),
  ROACH_LLM_MAX_RETRIES: wholeNumber('ROACH_LLM_MAX_RETRIES', 2, 0, 10),
  ROACH_LLM_CONCURRENCY: wholeNumber('ROACH_LLM_CONCURRENCY', 4, 1, 32),
  ROACH_LLM_PRICE: z
    .string()
    .optional()
    .transform((value, context): ModelPrice | null => {
      if (value === undefined || value.trim() === '') return null;
      const [input, output, ...rest] = value.split(',').map((part) => Number(part.trim()));
      if (input === undefined || output === undefined || rest.length > 0 || !Number.isFinite(input) || !Number.isFinite(output) || input < 0 || output < 0) {
        context.addIssue({ code: 'custom', message: `ROACH_LLM_PRICE must be "input,output" in USD per million tokens (such as 0.15,0.60), got "${value}"` });
        return z.NEVER;
      }
      return { inputPerMillion: input, outputPerMillion: output };
    }),
  ROACH_LLM_BUDGET_USD: optionalAmount('ROACH_LLM_BUDGET_USD', false, 'an amount in USD (such as 2.50)'),
});

const fail = (message: string): never => {
  throw new RoachError('CR_ERR_SERVICE_CONFIG', `Invalid LLM settings: ${message}`, {});
};

const blank = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value);

function parseEnvironment(env: NodeJS.ProcessEnv) {
  const parsed = LlmEnvironmentSchema.safeParse({
    ROACH_LLM_PROVIDER: blank(env.ROACH_LLM_PROVIDER),
    ROACH_LLM_MODEL: blank(env.ROACH_LLM_MODEL),
    ROACH_LLM_CHEAP_MODEL: blank(env.ROACH_LLM_CHEAP_MODEL),
    ROACH_LLM_MAX_FIXES: env.ROACH_LLM_MAX_FIXES,
    ROACH_LLM_BASE_URL: blank(env.ROACH_LLM_BASE_URL),
    ROACH_LLM_TIMEOUT_MS: env.ROACH_LLM_TIMEOUT_MS,
    ROACH_LLM_MAX_RETRIES: env.ROACH_LLM_MAX_RETRIES,
    ROACH_LLM_BUDGET_USD: env.ROACH_LLM_BUDGET_USD,
    ROACH_LLM_CONCURRENCY: env.ROACH_LLM_CONCURRENCY,
    ROACH_LLM_PRICE: env.ROACH_LLM_PRICE,
  });
  return parsed.success ? parsed.data : fail(describeZodError(parsed.error));
}

/** What the operator's environment says about calls whoever names the model (the organization, in service mode). */
export type LlmLimits = Pick<LlmSettings, 'timeoutMs' | 'maxRetries' | 'budgetUsdPerCrawl' | 'concurrency' | 'maxFixesPerCrawl'>;

export function loadLlmLimits(env: NodeJS.ProcessEnv = process.env): LlmLimits {
  const e = parseEnvironment(env);
  return Object.freeze({
    timeoutMs: e.ROACH_LLM_TIMEOUT_MS,
    maxRetries: e.ROACH_LLM_MAX_RETRIES,
    budgetUsdPerCrawl: e.ROACH_LLM_BUDGET_USD,
    concurrency: e.ROACH_LLM_CONCURRENCY,
    maxFixesPerCrawl: e.ROACH_LLM_MAX_FIXES,
  });
}

/** The LLM settings of the environment; null when no provider is named (generated fixes off). */
export function loadLlmSettings(env: NodeJS.ProcessEnv = process.env): LlmSettings | null {
  const e = parseEnvironment(env);
  if (!e.ROACH_LLM_PROVIDER) return null;
  const provider = e.ROACH_LLM_PROVIDER;
  if (!e.ROACH_LLM_MODEL) return fail(`ROACH_LLM_PROVIDER is ${provider}, so ROACH_LLM_MODEL must name the model to use`);
  if (provider === 'openai-compatible' && !e.ROACH_LLM_BASE_URL) return fail('ROACH_LLM_PROVIDER is openai-compatible, so ROACH_LLM_BASE_URL must give the endpoint (e.g. http://127.0.0.1:11434/v1)');
  const keyVariable = KEY_VARIABLES[provider];
  const apiKey = blank(env[keyVariable])?.trim() ?? null;
  if (!apiKey && provider !== 'openai-compatible') return fail(`ROACH_LLM_PROVIDER is ${provider}, so ${keyVariable} must hold its API key`);
  return Object.freeze({
    provider,
    model: e.ROACH_LLM_MODEL,
    baseUrl: e.ROACH_LLM_BASE_URL ?? null,
    apiKey,
    timeoutMs: e.ROACH_LLM_TIMEOUT_MS,
    maxRetries: e.ROACH_LLM_MAX_RETRIES,
    budgetUsdPerCrawl: e.ROACH_LLM_BUDGET_USD,
    concurrency: e.ROACH_LLM_CONCURRENCY,
    price: e.ROACH_LLM_PRICE,
    cheapModel: e.ROACH_LLM_CHEAP_MODEL ?? null,
    maxFixesPerCrawl: e.ROACH_LLM_MAX_FIXES,
  });
}
