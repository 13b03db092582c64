#!/usr/bin/env node
// Generated fixes (issue 15), measured overhead: crawls repositories of the development corpus
// (bench/precision/corpus.json) against a local OpenAI-compatible chat-completions server started in this
// process, and reports per repository the prompt sizes, the crawl time the `llm` strategy adds per generated
// fix (prompt building + request + validation), the client's round trip per call, how many of the
// generated fixes pass validation, and the kept-answer (cache) hit rate when the same code is crawled again.
// No real model is involved: the stub answers at once with a crude but real edit (the unit without the
// lines marked `>`, as edits anchored on the file's text), so validation (re-parse, re-analysis) decides for real. Plain Node ESM; never part of
// `npm test`. Prints Markdown; writes nothing outside bench/.work.
//
//   node bench/llm-overhead.mjs [--only a,b] [--no-build] [--latency-ms N] [--repeat N]
//
// --repeat N (default 3): crawls A and B run N times each, alternating, each on a fresh data dir; their times
// are the medians, the lower middle one for an even N (the machine is shared, a single pair is noisy). Prompts and counts are the last B's.
//
// Per repository, four crawls (`roach crawl <dir> --format json --no-progress --data-dir <d>`), one at a time:
//   A  no ROACH_LLM_* variables, fresh data dir: the baseline.
//   B  ROACH_LLM_PROVIDER=openai-compatible against the stub, fresh data dir D1.
//   C  B's command again, same data dir D1, nothing changed: the re-crawl a user would run.
//   D  the same code copied to another folder (another project of the same organization), data dir D1: every
//      file is analyzed again and every prompt is identical, so kept answers are what D uses.
import { spawn } from 'node:child_process';
import { setTimeout } from 'node:timers';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cpuModel } from './machine.mjs';
import { build, checkout, corpusEntries } from './precision/corpus.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const ROACH = path.join(ROOT, 'bin', 'roach.js');
const OUT = path.join(BENCH_DIR, '.work', 'llm-overhead'); // gitignored
const MODEL = 'stub-coder';
const PRICE = '0.15,0.60'; // USD per million prompt and completion tokens, gpt-4o-mini-like
// Repositories with findings no rule template fixes (pino, requests, cobra, healthchecks, petclinic have no findings at
// their pinned commits, flask and writefreely only template-fixed ones): Python, Java, Go, JavaScript, TypeScript.
const DEFAULT_REPOS = ['wikijs', 'overseerr', 'listmonk', 'ruoyi', 'litemall', 'redash', 'archivebox', 'changedetection'];

function parseArgs(argv) {
  const options = { only: null, build: true, latencyMs: 0, repeat: 3 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--only') options.only = new Set(argv[++i].split(','));
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--latency-ms') options.latencyMs = Number(argv[++i]);
    else if (arg === '--repeat') options.repeat = Math.max(1, Number(argv[++i]));
    else throw new Error(`unknown option ${arg}; see the header of bench/llm-overhead.mjs`);
  }
  return options;
}

// ---------- the local model: OpenAI chat completions, structured output ----------

const GUTTER = /^([> ])\s*(\d+) \| ?(.*)$/;

/**
 * The crude fix, as a model anchors its edits: each run of lines marked `>` is removed, anchored on the
 * unmarked line before it too (so the anchor is more likely to occur once in the file).
 */
function crudeFix(prompt) {
  const lines = prompt.split('\n');
  const at = lines.findIndex((line) => /the numbers and markers are not part of the code/.test(line));
  if (at < 0) return { edits: [], unitLines: 0, marked: 0 };
  const unit = lines.slice(at + 1).map((line) => GUTTER.exec(line)).filter(Boolean);
  const edits = [];
  for (let i = 0; i < unit.length; i++) {
    if (unit[i][1] !== '>') continue;
    let end = i;
    while (end + 1 < unit.length && unit[end + 1][1] === '>') end++;
    const before = i > 0 ? unit[i - 1][3] : null;
    const block = unit.slice(i, end + 1).map((m) => m[3]);
    edits.push(before === null ? { find: block.join('\n'), replace: '' } : { find: [before, ...block].join('\n'), replace: before });
    i = end;
  }
  return { edits, unitLines: unit.length, marked: unit.filter((m) => m[1] === '>').length };
}

/** Starts the stub; every request is recorded (sizes, rule, file, server time). */
async function startStub(latencyMs) {
  const requests = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const t0 = performance.now();
      const raw = Buffer.concat(chunks);
      let body = {};
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        // recorded as an empty prompt
      }
      const messages = Array.isArray(body.messages) ? body.messages : [];
      const text = (m) => (typeof m.content === 'string' ? m.content : Array.isArray(m.content) ? m.content.map((p) => p.text ?? '').join('') : '');
      const user = messages.filter((m) => m.role === 'user').map(text).join('\n');
      const system = messages.filter((m) => m.role === 'system').map(text).join('\n');
      const fix = crudeFix(user);
      const content = JSON.stringify({ edits: fix.edits, explanation: 'Removed the reported lines (benchmark stub, not a real fix).' });
      const promptTokens = Math.ceil((system.length + user.length) / 4);
      const completionTokens = Math.ceil(content.length / 4);
      const answer = JSON.stringify({
        id: `chatcmpl-bench-${requests.length}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model: body.model ?? MODEL,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      });
      const record = {
        path: req.url,
        bodyBytes: raw.length,
        promptChars: user.length,
        systemChars: system.length,
        promptTokens,
        completionTokens,
        rule: /^Issue: (\S+?),? /m.exec(user)?.[1] ?? null,
        file: /^File: (.+?) \(/m.exec(user)?.[1] ?? null,
        unitKind: /^The (\S+) around the issue \(/m.exec(user)?.[1] ?? null,
        unitLines: fix.unitLines,
        markedLines: fix.marked,
        responseFormat: body.response_format?.type ?? null,
        serverMs: 0,
      };
      requests.push(record);
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(answer);
        record.serverMs = performance.now() - t0;
      }, latencyMs);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}/v1`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// ---------- crawls ----------

/** Runs without blocking the event loop: the stub in this process must answer while the crawl runs. */
function runAsync(command, args, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), wallMs: performance.now() - started }));
  });
}

function baseEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith('ROACH_LLM_') || key === 'OPENAI_API_KEY' || key === 'ANTHROPIC_API_KEY' || key === 'GOOGLE_GENERATIVE_AI_API_KEY') delete env[key];
  return env;
}

async function crawl(label, dir, dataDir, env) {
  const result = await runAsync(process.execPath, [ROACH, 'crawl', dir, '--format', 'json', '--no-progress', '--data-dir', dataDir], env);
  if (result.status !== 0 && result.status !== 1) throw new Error(`roach crawl (${label}) ${dir} exited ${result.status}: ${result.stderr.trim().slice(0, 2000)}`);
  const report = JSON.parse(result.stdout);
  return { report, wallMs: result.wallMs, stderr: result.stderr };
}

/** The client-side duration of each call of a crawl, as the strategy recorded it (code_roach_llm_calls). */
async function callDurations(dataDir, crawlId) {
  const { openEmbeddedStore } = await import(pathToFileURL(path.join(ROOT, 'dist', 'main', 'embedded-store.js')).href);
  const opened = await openEmbeddedStore(dataDir);
  try {
    const rows = await opened.db.query('SELECT outcome, duration_ms FROM code_roach_llm_calls WHERE crawl_id = $1', [crawlId]);
    return rows.map((r) => ({ outcome: r.outcome, ms: Number(r.duration_ms) }));
  } finally {
    await opened.close();
  }
}

// ---------- numbers ----------

const quantile = (values, q) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
};
const median = (v) => quantile(v, 0.5);
const p90 = (v) => quantile(v, 0.9);
const fmt = (n, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? '–' : n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }));
const pct = (part, whole) => (whole === 0 ? '–' : `${((100 * part) / whole).toFixed(0)}%`);
const sum = (values) => values.reduce((a, b) => a + b, 0);

function countBy(items, keyOf) {
  const counts = {};
  for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
  return counts;
}

const passed = (fix) => fix.decision === 'queued' || fix.decision === 'applied';

async function measure(entry, options) {
  const dir = await checkout(entry);
  const base = path.join(OUT, entry.name);
  await rm(base, { recursive: true, force: true });
  await mkdir(base, { recursive: true });
  const stub = await startStub(options.latencyMs);
  try {
    const env = baseEnv();
    const llmEnv = { ...env, ROACH_LLM_PROVIDER: 'openai-compatible', ROACH_LLM_BASE_URL: stub.baseUrl, ROACH_LLM_MODEL: MODEL, ROACH_LLM_PRICE: PRICE };
    const timesA = [];
    const timesB = [];
    let a;
    let b;
    let requestsBefore = 0;
    for (let i = 0; i < options.repeat; i++) {
      await rm(path.join(base, 'data-a'), { recursive: true, force: true });
      await rm(path.join(base, 'data-b'), { recursive: true, force: true });
      a = await crawl('A', dir, path.join(base, 'data-a'), env);
      requestsBefore = stub.requests.length;
      b = await crawl('B', dir, path.join(base, 'data-b'), llmEnv);
      timesA.push(a.report.durationMs);
      timesB.push(b.report.durationMs);
    }
    // from here on, the requests of the last crawl B come first
    stub.requests.splice(0, requestsBefore);
    const requestsB = stub.requests.length;
    const c = await crawl('C', dir, path.join(base, 'data-b'), llmEnv);
    const requestsC = stub.requests.length - requestsB;
    // another project of the organization: the same tree in another folder (same folder name, same relative paths)
    const copy = path.join(base, 'copy', path.basename(dir));
    await cp(dir, copy, { recursive: true, preserveTimestamps: true, filter: (src) => path.basename(src) !== '.git' });
    const d = await crawl('D', copy, path.join(base, 'data-b'), llmEnv);
    const requestsD = stub.requests.length - requestsB - requestsC;
    const durations = await callDurations(path.join(base, 'data-b'), b.report.crawlId);
    const llmFixes = (r) => (r.report.fixes ?? []).filter((f) => f.strategy === 'llm');
    const reqs = stub.requests.slice(0, requestsB);
    const result = {
      name: entry.name,
      kind: entry.kind,
      files: b.report.files.walked,
      analyzed: b.report.files.analyzed,
      findings: b.report.findings.length,
      fixesA: countBy(a.report.fixes ?? [], (f) => f.strategy),
      fixesB: countBy(b.report.fixes ?? [], (f) => f.strategy),
      declinedA: a.report.fixesDeclined,
      declinedB: b.report.fixesDeclined,
      llmB: b.report.llm,
      llmC: c.report.llm,
      llmD: d.report.llm,
      requests: { B: requestsB, C: requestsC, D: requestsD },
      generated: llmFixes(b).length,
      generatedPassed: llmFixes(b).filter(passed).length,
      generatedFailed: llmFixes(b).filter((f) => f.decision === 'failed-validation').length,
      generatedDecisions: countBy(llmFixes(b), (f) => f.decision),
      failReasons: countBy(llmFixes(b).filter((f) => !passed(f)), (f) => (f.reason ?? '').split('\n')[0].replace(/\d+/g, 'N').slice(0, 120)),
      generatedD: llmFixes(d).length,
      generatedPassedD: llmFixes(d).filter(passed).length,
      fixesC: (c.report.fixes ?? []).length,
      filesC: c.report.files,
      filesD: d.report.files.walked,
      promptChars: reqs.map((r) => r.promptChars),
      systemChars: reqs[0]?.systemChars ?? null,
      bodyBytes: reqs.map((r) => r.bodyBytes),
      promptTokens: reqs.map((r) => r.promptTokens),
      completionTokens: reqs.map((r) => r.completionTokens),
      unitLines: reqs.map((r) => r.unitLines),
      unitKinds: countBy(reqs, (r) => r.unitKind),
      rules: countBy(reqs, (r) => r.rule),
      responseFormats: countBy(reqs, (r) => r.responseFormat),
      serverMs: reqs.map((r) => r.serverMs),
      clientMs: durations.filter((x) => x.outcome === 'answered').map((x) => x.ms),
      ms: { A: median(timesA), B: median(timesB), C: c.report.durationMs, D: d.report.durationMs },
      runs: { A: timesA, B: timesB },
      wallMs: { A: a.wallMs, B: b.wallMs, C: c.wallMs, D: d.wallMs },
      stderrB: b.stderr.split('\n').filter((l) => l.includes('generated fix')).slice(0, 5),
    };
    await rm(path.join(base, 'copy'), { recursive: true, force: true });
    return result;
  } finally {
    await stub.close();
  }
}

function render(rows, options) {
  const date = new Date().toISOString().slice(0, 10);
  const all = (pick) => rows.flatMap(pick);
  const calls = sum(rows.map((r) => r.llmB?.calls ?? 0));
  const cachedD = sum(rows.map((r) => r.llmD?.cached ?? 0));
  const callsD = sum(rows.map((r) => r.llmD?.calls ?? 0));
  const callsC = sum(rows.map((r) => r.llmC?.calls ?? 0));
  const cachedC = sum(rows.map((r) => r.llmC?.cached ?? 0));
  const generated = sum(rows.map((r) => r.generated));
  const generatedPassed = sum(rows.map((r) => r.generatedPassed));
  const generatedFailed = sum(rows.map((r) => r.generatedFailed));
  const deltaBA = sum(rows.map((r) => r.ms.B - r.ms.A));
  const deltaDA = sum(rows.map((r) => r.ms.D - r.ms.A));
  const msA = sum(rows.map((r) => r.ms.A));
  const msB = sum(rows.map((r) => r.ms.B));
  const inputTokens = sum(rows.map((r) => r.llmB?.inputTokens ?? 0));
  const outputTokens = sum(rows.map((r) => r.llmB?.outputTokens ?? 0));
  const cost = sum(rows.map((r) => r.llmB?.costUsd ?? 0));
  const lines = [`## Generated fixes: overhead per fix and kept answers on a re-crawl (${date})`, ''];
  lines.push(
    `\`node bench/llm-overhead.mjs\` on ${cpuModel()}: ${rows.length} repositories of bench/precision/corpus.json, each crawled cold without a model (A), cold with ` +
      `\`ROACH_LLM_PROVIDER=openai-compatible\` against a local chat-completions stub in the bench process (B; model \`${MODEL}\`, \`ROACH_LLM_PRICE=${PRICE}\`, default concurrency 4, ` +
      `${options.latencyMs} ms added latency), again unchanged on B's data dir (C), and as a copy in another folder on B's data dir (D: another project of the organization, every file analyzed again, identical prompts). ` +
      `The stub answers every prompt at once with a crude edit: the unit without its \`>\` lines; validation (re-parse, re-analysis) decides. Tokens are the stub's ceil(chars/4). ` +
      `Times are the report's \`durationMs\` (in-process crawl, without process start and store open); A and B are the median (the lower middle one for an even count) of ${options.repeat} alternating runs each, C and D one run.`,
    '',
  );
  lines.push(
    '| repository | files | findings | template fixes | llm calls (B) | prompt chars median / p90 | request bytes median / p90 | tokens in / out | generated fixes: pass / fail validation | crawl A ms | crawl B ms | (B−A) / call ms | client round trip median / p90 ms | C calls / cached | D calls / cached |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of rows) {
    const c = r.llmB?.calls ?? 0;
    const templates = sum(Object.entries(r.fixesB).filter(([s]) => s !== 'llm').map(([, n]) => n));
    lines.push(
      `| ${r.name} | ${fmt(r.files)} | ${fmt(r.findings)} | ${templates} | ${c} | ${fmt(median(r.promptChars))} / ${fmt(p90(r.promptChars))} | ${fmt(median(r.bodyBytes))} / ${fmt(p90(r.bodyBytes))} | ` +
        `${fmt(r.llmB?.inputTokens ?? 0)} / ${fmt(r.llmB?.outputTokens ?? 0)} | ${r.generatedPassed} / ${r.generatedFailed}${r.generated - r.generatedPassed - r.generatedFailed > 0 ? ` (+${r.generated - r.generatedPassed - r.generatedFailed} other)` : ''} | ` +
        `${fmt(r.ms.A)} | ${fmt(r.ms.B)} | ${c > 0 ? fmt((r.ms.B - r.ms.A) / c) : '–'} | ${fmt(median(r.clientMs))} / ${fmt(p90(r.clientMs))} | ` +
        `${r.llmC?.calls ?? '–'} / ${r.llmC?.cached ?? '–'} | ${r.llmD?.calls ?? '–'} / ${r.llmD?.cached ?? '–'} |`,
    );
  }
  const pc = all((r) => r.promptChars);
  const bb = all((r) => r.bodyBytes);
  const pt = all((r) => r.promptTokens);
  const ct = all((r) => r.completionTokens);
  const cm = all((r) => r.clientMs);
  const sm = all((r) => r.serverMs);
  lines.push(
    `| **total** | ${fmt(sum(rows.map((r) => r.files)))} | ${fmt(sum(rows.map((r) => r.findings)))} | ${sum(rows.map((r) => sum(Object.entries(r.fixesB).filter(([s]) => s !== 'llm').map(([, n]) => n))))} | ${calls} | ` +
      `${fmt(median(pc))} / ${fmt(p90(pc))} | ${fmt(median(bb))} / ${fmt(p90(bb))} | ${fmt(inputTokens)} / ${fmt(outputTokens)} | ${generatedPassed} / ${generatedFailed} | ${fmt(msA)} | ${fmt(msB)} | ` +
      `${calls > 0 ? fmt(deltaBA / calls) : '–'} | ${fmt(median(cm))} / ${fmt(p90(cm))} | ${callsC} / ${cachedC} | ${callsD} / ${cachedD} |`,
    '',
  );
  lines.push('Totals:', '');
  lines.push(`- calls (B): ${calls} (${sum(rows.map((r) => r.llmB?.failed ?? 0))} failed), stub requests ${sum(rows.map((r) => r.requests.B))}; tokens ${fmt(inputTokens)} in + ${fmt(outputTokens)} out, ${cost.toFixed(4)} USD at ${PRICE} per million (${calls > 0 ? (cost / calls).toFixed(5) : '–'} USD per call).`);
  lines.push(`- prompt (user message): median ${fmt(median(pc))} chars, p90 ${fmt(p90(pc))}, max ${fmt(quantile(pc, 1))}; system message ${fmt(rows.find((r) => r.systemChars)?.systemChars)} chars; request body median ${fmt(median(bb))} bytes, p90 ${fmt(p90(bb))}; prompt tokens median ${fmt(median(pt))}, p90 ${fmt(p90(pt))}; answer tokens median ${fmt(median(ct))}, p90 ${fmt(p90(ct))}; unit lines median ${fmt(median(all((r) => r.unitLines)))}, p90 ${fmt(p90(all((r) => r.unitLines)))}.`);
  lines.push(`- time: crawl B − crawl A = ${fmt(deltaBA)} ms over ${calls} calls = **${calls > 0 ? fmt(deltaBA / calls) : '–'} ms per generated fix** (prompt building, the call, recording it, validation; calls run 4 at a time); crawl D − crawl A (kept answers, no call) = ${fmt(deltaDA)} ms = ${cachedD > 0 ? fmt(deltaDA / cachedD) : '–'} ms per fix; client round trip per call (code_roach_llm_calls.duration_ms, B) median ${fmt(median(cm))} ms, p90 ${fmt(p90(cm))} ms; the stub's own time per request median ${fmt(median(sm), 2)} ms.`);
  lines.push(`- generated fixes (B): ${generated} proposed for ${calls} calls, ${generatedPassed} pass validation (${pct(generatedPassed, generated)}), ${generatedFailed} fail it.`);
  lines.push(`- re-crawl unchanged, same data dir (C): ${callsC} calls, ${cachedC} kept answers, ${sum(rows.map((r) => r.fixesC))} fixes; files unchanged ${sum(rows.map((r) => r.filesC.unchanged))} of ${sum(rows.map((r) => r.filesC.walked))} walked.`);
  lines.push(`- same code as another project, same data dir (D): ${callsD} calls, ${cachedD} kept answers: hit rate **${pct(cachedD, callsD + cachedD)}**; ${sum(rows.map((r) => r.generatedD))} generated fixes, ${sum(rows.map((r) => r.generatedPassedD))} pass validation.`);
  const reasons = {};
  for (const r of rows) for (const [reason, n] of Object.entries(r.failReasons)) reasons[reason] = (reasons[reason] ?? 0) + n;
  const top = Object.entries(reasons).sort((x, y) => y[1] - x[1]).slice(0, 6);
  if (top.length > 0) {
    lines.push('', 'Why generated fixes failed validation (first line of the reason, digits as N):', '');
    for (const [reason, n] of top) lines.push(`- ${n} × ${reason}`);
  }
  lines.push('');
  return lines.join('\n');
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const corpus = corpusEntries(options.only ?? new Set(DEFAULT_REPOS));
  if (options.build) build(ROOT);
  await mkdir(OUT, { recursive: true });
  const rows = [];
  for (const entry of corpus) {
    const started = performance.now();
    const row = await measure(entry, options);
    rows.push(row);
    process.stderr.write(
      `${entry.name}: ${row.findings} findings, ${row.llmB?.calls ?? 0} calls, ${row.generatedPassed}/${row.generated} generated fixes pass, A ${row.ms.A} ms, B ${row.ms.B} ms, C ${row.llmC?.calls}/${row.llmC?.cached}, D ${row.llmD?.calls}/${row.llmD?.cached} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
    );
    await writeFile(path.join(OUT, 'results.json'), JSON.stringify(rows, null, 2));
    await writeFile(path.join(OUT, 'results.md'), render(rows, options));
  }
  process.stdout.write(`${render(rows, options)}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
