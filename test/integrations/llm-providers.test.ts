import { afterEach, describe, expect, it } from 'vitest';
import { createFixGenerator } from '../../src/integrations/llm/fix-generator.js';
import type { LlmSettings } from '../../src/config/llm.js';
import { chatCompletion, startLlmStub } from '../helpers/llm-server.js';
import type { LlmStub, RecordedRequest, StubAnswer } from '../helpers/llm-server.js';

const ANSWER = { edits: [{ find: 'return eval(x);', replace: 'return JSON.parse(x);' }], explanation: 'eval ran the text as code; JSON.parse only reads data.' };
const REQUEST = { system: 'You fix one reported issue in source code.', prompt: 'Issue: js/no-eval\n>    2 |   return eval(x);' };

let stub: LlmStub | null = null;
afterEach(async () => {
  await stub?.close();
  stub = null;
});

const settings = (provider: LlmSettings['provider'], model: string, baseUrl: string): LlmSettings => ({ provider, model, baseUrl, apiKey: 'test-key', timeoutMs: 10_000, maxRetries: 0, budgetUsdPerCrawl: null, concurrency: 1, price: null, cheapModel: null, maxFixesPerCrawl: null });

/** Each provider's own wire answer, holding ANSWER as its structured output. */
const ANSWERS: Record<string, (request: RecordedRequest) => StubAnswer> = {
  openai: () => ({
    json: {
      id: 'resp_1', object: 'response', created_at: 1_765_000_000, status: 'completed', model: 'gpt-4.1-mini',
      output: [{ type: 'message', id: 'msg_1', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: JSON.stringify(ANSWER), annotations: [] }] }],
      usage: { input_tokens: 300, output_tokens: 40, total_tokens: 340, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
    },
  }),
  anthropic: (request) => {
    const tools = (request.body.tools as { name: string }[] | undefined) ?? [];
    const content = tools.length > 0 ? [{ type: 'tool_use', id: 'toolu_1', name: tools[0]?.name ?? 'json', input: ANSWER }] : [{ type: 'text', text: JSON.stringify(ANSWER) }];
    return { json: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content, stop_reason: tools.length > 0 ? 'tool_use' : 'end_turn', stop_sequence: null, usage: { input_tokens: 300, output_tokens: 40 } } };
  },
  google: () => ({
    json: { candidates: [{ content: { role: 'model', parts: [{ text: JSON.stringify(ANSWER) }] }, finishReason: 'STOP', index: 0 }], usageMetadata: { promptTokenCount: 300, candidatesTokenCount: 40, totalTokenCount: 340 } },
  }),
  'openai-compatible': () => ({ json: chatCompletion(JSON.stringify(ANSWER), { prompt_tokens: 300, completion_tokens: 40 }) }),
};

describe('createFixGenerator, against local servers speaking each provider\'s protocol', () => {
  const cases: [LlmSettings['provider'], string, string][] = [
    ['openai', 'gpt-4.1-mini', '/v1/responses'],
    ['anthropic', 'claude-sonnet-4-5', '/v1/messages'],
    ['google', 'gemini-2.5-flash', '/v1/models/gemini-2.5-flash:generateContent'],
    ['openai-compatible', 'qwen2.5-coder', '/v1/chat/completions'],
  ];
  for (const [provider, model, path] of cases) {
    it(`${provider}: sends the instructions and the prompt, reads the structured answer and the usage`, async () => {
      const answer = ANSWERS[provider];
      if (!answer) throw new Error('no answer');
      stub = await startLlmStub(answer);
      const generator = createFixGenerator(settings(provider, model, stub.baseUrl));
      const fix = await generator.generate(REQUEST);
      expect(fix).toEqual({ ...ANSWER, usage: { inputTokens: 300, outputTokens: 40 } });
      expect(stub.requests.map((r) => r.path)).toEqual([path]);
      const body = JSON.stringify(stub.requests[0]?.body);
      expect(body).toContain('You fix one reported issue in source code.');
      expect(body).toContain('return eval(x);');
    });
  }

  it('fails with the provider\'s reason on malformed output, never a fix', async () => {
    stub = await startLlmStub(() => ({ json: chatCompletion('{"edits": [{"find": 42}]}') }));
    const generator = createFixGenerator(settings('openai-compatible', 'm', stub.baseUrl));
    await expect(generator.generate(REQUEST)).rejects.toThrow(/schema|type|validation|parse/i);
  });

  it('gives up after its time runs out', async () => {
    stub = await startLlmStub(() => ({ json: chatCompletion(JSON.stringify(ANSWER)) }));
    const slow = { ...settings('openai-compatible', 'm', stub.baseUrl), timeoutMs: 1 };
    await expect(createFixGenerator(slow).generate(REQUEST)).rejects.toThrow();
  });
});
