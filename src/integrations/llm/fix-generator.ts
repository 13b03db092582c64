import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, Output } from 'ai';
import type { LanguageModel } from 'ai';
import { z } from 'zod';
import type { LlmSettings } from '../../config/llm.js';
import type { FixGenerator, FixRequest, GeneratedFix } from '../../fixes/ports.js';

/**
 * The `llm` strategy's model, through the Vercel AI SDK (issue 15): OpenAI (its Responses API), Anthropic,
 * Google Gemini, or any OpenAI-compatible chat-completions endpoint. The answer is structured output checked
 * against a schema; the SDK retries 429 and 5xx with backoff (honouring Retry-After) up to the configured
 * count, within the configured time for the whole call.
 */

const AnswerSchema = z.object({
  edits: z
    .array(
      z.object({
        find: z.string().describe('text copied exactly from the file (without line numbers or markers), occurring once in it'),
        replace: z.string().describe('the new text for it'),
      }),
    )
    .min(1)
    .max(20)
    .describe('the edits of the file that fix the issue'),
  explanation: z.string().describe('for a reviewer: what was wrong and what the fix does, in one or two sentences'),
});

function modelOf(settings: LlmSettings): LanguageModel {
  const common = { ...(settings.apiKey ? { apiKey: settings.apiKey } : {}), ...(settings.baseUrl ? { baseURL: settings.baseUrl } : {}) };
  switch (settings.provider) {
    case 'openai':
      return createOpenAI(common)(settings.model);
    case 'anthropic':
      return createAnthropic(common)(settings.model);
    case 'google':
      return createGoogleGenerativeAI(common)(settings.model);
    case 'openai-compatible':
      return createOpenAICompatible({ name: 'openai-compatible', baseURL: settings.baseUrl ?? '', supportsStructuredOutputs: true, ...(settings.apiKey ? { apiKey: settings.apiKey } : {}) }).chatModel(settings.model);
  }
}

export function createFixGenerator(settings: LlmSettings): FixGenerator {
  const model = modelOf(settings);
  return {
    label: `${settings.provider}:${settings.model}`,
    provider: settings.provider,
    model: settings.model,
    async generate(request: FixRequest, signal?: AbortSignal): Promise<GeneratedFix> {
      const result = await generateText({
        model,
        system: request.system,
        prompt: request.prompt,
        output: Output.object({ schema: AnswerSchema }),
        temperature: 0,
        maxRetries: settings.maxRetries,
        timeout: settings.timeoutMs,
        ...(signal ? { abortSignal: signal } : {}),
      });
      return {
        edits: result.output.edits,
        explanation: result.output.explanation,
        usage: { inputTokens: result.usage.inputTokens ?? null, outputTokens: result.usage.outputTokens ?? null },
      };
    },
  };
}
