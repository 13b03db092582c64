import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the stub received: its path, headers and parsed JSON body. */
export interface RecordedRequest {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Record<string, unknown>;
}

/** What the stub answers: a status, optional headers, and a JSON body (or raw text). */
export interface StubAnswer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly json?: unknown;
  readonly text?: string;
  /** Answer this much later (requests in flight meanwhile are counted). */
  readonly delayMs?: number;
}

export interface LlmStub {
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  /** The most requests it was answering at once. */
  maxInFlight(): number;
  close(): Promise<void>;
}

/**
 * A local server speaking OpenAI's chat-completions wire protocol (`POST /v1/chat/completions`), as Ollama,
 * vLLM and LM Studio do: tests of generated fixes run against it, with no network.
 */
export async function startLlmStub(answer: (request: RecordedRequest) => StubAnswer): Promise<LlmStub> {
  const requests: RecordedRequest[] = [];
  let inFlight = 0;
  let most = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const request = { path: req.url ?? '', headers: req.headers, body: raw ? (JSON.parse(raw) as Record<string, unknown>) : {} };
      requests.push(request);
      const reply = answer(request);
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(reply.status ?? 200, { 'content-type': reply.text !== undefined ? 'text/plain' : 'application/json', ...reply.headers });
        res.end(reply.text ?? JSON.stringify(reply.json ?? {}));
      }, reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    maxInFlight: () => most,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A chat completion whose message is `content` (structured output arrives as JSON text in it), with usage. */
export function chatCompletion(content: string, usage = { prompt_tokens: 812, completion_tokens: 64 }): unknown {
  return {
    id: 'chatcmpl-stub',
    object: 'chat.completion',
    created: 1_765_000_000,
    model: 'stub-coder',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}
