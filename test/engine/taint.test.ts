import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding, Language } from '../../src/domain/finding.js';
import { analyzeSource } from '../../src/engine/analyze.js';
import { loadRuleFile, ruleSetOf } from '../../src/engine/rules.js';
import { originEnded } from '../../src/engine/taint/origin.js';
import type { RuleSet } from '../../src/engine/rules.js';
import { roachRejection } from '../helpers/errors.js';

// A rule whose sink is `sink(x)`, fed by every source set, cleaned by `clean(x)`: the flow cases below
// exercise the engine itself rather than any one rule's sink patterns.
const PROBE = `id: js/taint-probe
languages: [javascript, typescript, tsx]
severity: high
category: security
cwe: 74
message: "Untrusted data reaches sink()."
doc: { rationale: "A probe for the taint engine's tests.", bad: "sink(req.query.q)", good: "sink('q')" }
rule: { pattern: "sink($VALUE)" }
taint:
  sinks: [VALUE]
  sources: [request, argv, env, location, { pattern: "readUntrusted()" }]
  sanitizers: [{ pattern: "clean($X)" }]
`;

let dir: string;
let rules: RuleSet;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'roach-taint-'));
  await writeFile(path.join(dir, 'probe.yml'), PROBE);
  rules = ruleSetOf([await loadRuleFile(path.join(dir, 'probe.yml'), dir)]);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function probe(text: string, language: Language = 'javascript'): Finding[] {
  return analyzeSource({ text, file: 'a.js', language, rules }).findings.filter((f) => f.ruleId === 'js/taint-probe');
}

/** "source <- step <- step" for compact expectations; null when nothing fired. */
function flow(text: string, language: Language = 'javascript'): string | null {
  const [finding, ...rest] = probe(text, language);
  expect(rest).toEqual([]);
  if (!finding) return null;
  expect(finding.trace).toBeDefined();
  const trace = finding.trace!;
  return [trace.source.label, ...trace.steps.map((s) => s.label)].join(' > ');
}

const handler = (body: string): string => `app.get('/x', (req, res) => {\n${body}\n});`;

describe('taint flows that reach the sink', () => {
  it.each([
    { name: 'a request field directly', code: handler('sink(req.query.id);'), expected: 'req.query.id' },
    { name: 'a variable', code: handler('const q = req.query.id;\nsink(q);'), expected: 'req.query.id > q' },
    { name: 'destructuring', code: handler('const { id } = req.params;\nsink(id);'), expected: 'req.params.id > id' },
    { name: 'nested destructuring of the request', code: handler('const { query: { id } } = req;\nsink(id);'), expected: 'req.query.id > id' },
    { name: 'a destructured handler parameter', code: "app.post('/x', ({ body }, res) => sink(body.name));", expected: 'request.body' },
    { name: 'a template literal', code: handler('const s = `SELECT ${req.body.name}`;\nsink(s);'), expected: 'req.body.name > s' },
    { name: 'concatenation and +=', code: handler("let s = 'a';\ns += req.query.b;\nsink(s);"), expected: 'req.query.b > s' },
    { name: 'an array join', code: handler("const parts = ['ls'];\nparts.push(req.query.dir);\nsink(parts.join(' '));"), expected: 'req.query.dir > parts' },
    { name: 'an object literal and spread', code: handler('const o = { ...req.body, safe: 1 };\nsink({ filter: o });'), expected: 'req.body > o' },
    { name: 'a property set on an object', code: handler('const f = {};\nf.name = req.body.name;\nsink(f);'), expected: 'req.body.name > f' },
    { name: 'string methods and String()', code: handler('const t = String(req.query.t).trim().toLowerCase();\nsink(t);'), expected: 'req.query.t > t' },
    { name: 'a default with ||', code: handler("const n = req.query.n || 'x';\nsink(n);"), expected: 'req.query.n > n' },
    { name: 'a ternary branch', code: handler("sink(ok ? req.query.a : 'b');"), expected: 'req.query.a' },
    { name: 'a request method', code: handler("sink(req.get('X-Forwarded-Host'));"), expected: "req.get('X-Forwarded-Host')" },
    { name: 'a reassignment under a condition', code: handler("let x = 'a';\nif (flag) x = req.query.a;\nsink(x);"), expected: 'req.query.a > x' },
    { name: 'a closure over the handler', code: handler("const q = req.query.q;\ndb.on('ready', () => sink(q));"), expected: 'req.query.q > q' },
    { name: 'for...of over request data', code: handler('for (const item of req.body.items) sink(item);'), expected: 'req.body.items > item' },
    { name: 'Koa ctx.request.body', code: "router.post('/x', async (ctx) => { sink(ctx.request.body.name); });", expected: 'ctx.request.body.name' },
    { name: 'Fastify request (any name, by position)', code: "fastify.get('/x', async (r, reply) => sink(r.query.q));", expected: 'r.query.q' },
    { name: 'Express error middleware', code: 'app.use((err, rq, rs, next) => sink(rq.body.x));', expected: 'rq.body.x' },
    { name: 'a Node http server', code: 'http.createServer((a, b) => { const u = a.url; sink(u); });', expected: 'a.url > u' },
    { name: 'a Next.js route handler', code: "export async function GET(r) {\nconst { searchParams } = new URL(r.url);\nsink(searchParams.get('q'));\n}", expected: 'r.url > searchParams' },
    { name: 'an awaited Next.js body', code: 'export async function POST(request) {\nconst data = await request.json();\nsink(data.cmd);\n}', expected: 'request.json() > data' },
    { name: 'a typed controller parameter', code: 'export function show(input: Request, out: Response) { sink(input.params.id as string); }', expected: 'input.params.id', language: 'typescript' as const },
    { name: 'process.argv', code: 'const target = process.argv[2];\nsink(target);', expected: 'process.argv[2] > target' },
    { name: 'process.env', code: 'sink(process.env.CMD);', expected: 'process.env.CMD' },
    { name: 'location', code: "const p = new URLSearchParams(location.search);\nsink(p.get('next'));", expected: 'location.search > p' },
    { name: 'a replace that keeps dots and slashes', code: handler("sink(req.query.f.replace(/[^a-z./]/g, ''));"), expected: 'req.query.f' },
    { name: 'sprintf', code: handler("sink(sprintf('ls %s', req.query.dir));"), expected: 'req.query.dir' },
    { name: 'a custom source rule', code: 'const raw = readUntrusted();\nsink(raw);', expected: 'readUntrusted() > raw' },
    { name: "a local function's return value", code: "function where(name) { return `name = '${name}'`; }\n" + handler('sink(where(req.query.n));'), expected: 'req.query.n > name > where()' },
    { name: "a local helper's parameter, from its call", code: 'function run(sql) { sink(sql); }\n' + handler("run('SELECT ' + req.body.col);"), expected: 'req.body.col > sql' },
    { name: 'a method called on this', code: "class S { run(q) { sink(q); }\nhandle(req) { this.run(req.query.q); } }", expected: 'req.query.q > q' },
    { name: 'a forEach callback over request data', code: handler('req.body.names.forEach((n) => sink(n));'), expected: 'req.body.names > n' },
    { name: 'a NestJS decorated parameter', code: "class C { find(@Query('q') term: string) { sink(term); } }", expected: "@Query('q') term", language: 'typescript' as const },
    { name: 'a NestJS request parameter', code: 'class C { find(@Req() r) { sink(r.body.x); } }', expected: 'r.body.x', language: 'typescript' as const },
    { name: 'a handler passed by name', code: "function show(a, b) { sink(a.params.id); }\nrouter.get('/u/:id', show);", expected: 'a.params.id' },
  ])('$name', ({ code, expected, language }) => {
    expect(flow(code, language)).toBe(expected);
  });
});

describe('inputs that do not fire', () => {
  it.each([
    { name: 'a constant string', code: handler("sink('SELECT 1');\nsink(`SELECT ${2}`);") },
    { name: 'a constant through variables', code: handler("const TABLE = 'users';\nconst q = 'SELECT * FROM ' + TABLE;\nsink(q);") },
    { name: 'a number coercion', code: handler('const id = parseInt(req.query.id, 10);\nsink(`id = ${id}`);\nsink(Number(req.query.n));') },
    { name: "the rule's sanitizer", code: handler('const v = clean(req.query.v);\nsink(v);') },
    { name: 'a value replaced before the sink', code: handler("let x = req.query.a;\nx = 'fixed';\nsink(x);") },
    { name: 'an allow-list check that returns', code: handler("const c = req.query.c;\nif (!ALLOWED.includes(c)) return res.sendStatus(400);\nsink(c);") },
    { name: 'the branch of an allow-list check', code: handler('const c = req.query.c;\nif (ALLOWED.has(c)) {\nsink(c);\n}') },
    { name: 'a containment predicate taking the value second', code: handler("const p = path.join(root, req.query.dir);\nif (!file.isPathInside(root, p)) return next(new Error('bad path'));\nsink(p);") },
    { name: 'a validating method taking the value second', code: handler("const p = path.join(dir, req.params.file);\nif (!this.validateStreamFilePath(dir, p)) return res.sendStatus(400);\nsink(p);") },
    { name: 'a checked ternary', code: handler("sink(ALLOWED.includes(req.query.c) ? req.query.c : 'default');") },
    { name: 'a comparison with a literal', code: handler("const m = req.query.mode;\nif (m !== 'a' && m !== 'b') throw new Error('mode');\nsink(m);") },
    { name: "another function's parameter", code: 'function run(name) {\nsink(name);\n}' },
    { name: 'a shadowing parameter', code: handler('const q = req.query.q;\nfunction inner(q) { sink(q); }') },
    { name: 'a length or a check', code: handler("sink(req.query.q.length);\nsink(req.query.q.includes('x'));") },
    { name: 'a non-client request field', code: handler('sink(req.user.id);\nsink(req.session.token);') },
    { name: 'a definition after the sink', code: handler('let late;\nsink(late);\nlate = req.query.q;') },
    { name: 'an unknown function result', code: handler('sink(lookup(req.query.q));') },
    { name: 'an allow-list replace', code: handler("sink(req.query.f.replace(/[^a-zA-Z0-9_-]/g, ''));") },
    { name: 'a predicate check that returns', code: handler('const id = req.query.id;\nif (!isValidId(id)) return;\nif (isNaN(req.query.n)) throw new Error();\nsink(id + req.query.n);') },
    { name: 'process.argv[0] and [1] (node and the script)', code: 'sink(process.argv[0]);\nsink(process.argv[1]);' },
    { name: "an HTTP client's response callback", code: "https.get(url, (res) => sink(res.headers.location));" },
    { name: 'a local function that ignores its input', code: "function label(x) { return 'fixed'; }\n" + handler('sink(label(req.query.q));') },
    { name: "a helper only called with constants", code: "function run(sql) { sink(sql); }\nrun('SELECT 1');\n" + handler('res.send(req.query.q);') },
    { name: "another object's method of the same name", code: 'class S { run(q) { sink(q); } }\n' + handler('db.run(req.query.q);') },
  ])('$name', ({ code }) => {
    expect(flow(code)).toBeNull();
  });
});

describe('the trace', () => {
  it('records where the data enters and each variable it passes, and names them in the message', () => {
    const [finding] = probe(handler("const { id } = req.query;\nconst where = 'id = ' + id;\nsink(where);"));
    expect(finding?.trace).toEqual({
      source: { label: 'req.query.id', line: 1, column: 15 },
      steps: [
        { label: 'id', line: 1, column: 6 },
        { label: 'where', line: 2, column: 6 },
      ],
    });
    expect(finding?.message).toBe('Untrusted data reaches sink(). Untrusted data from req.query.id (line 2) via id (line 2), then where (line 3).');
  });

  it('leaves rules without a taint section untouched', async () => {
    await writeFile(path.join(dir, 'plain.yml'), PROBE.replace('js/taint-probe', 'js/plain-probe').replace(/taint:[\s\S]*$/, ''));
    const plain = ruleSetOf([await loadRuleFile(path.join(dir, 'plain.yml'), dir)]);
    const [finding] = analyzeSource({ text: 'sink(1);', file: 'a.js', language: 'javascript', rules: plain }).findings;
    expect(finding?.trace).toBeUndefined();
    expect(finding?.message).toBe('Untrusted data reaches sink().');
  });
});

describe('taint sections in rule files', () => {
  it.each([
    { name: 'a sink that is not a metavariable of the rule', edit: (t: string) => t.replace('sinks: [VALUE]', 'sinks: [OTHER]'), why: /taint\.sinks: OTHER is not a metavariable/ },
    { name: 'an unknown source set', edit: (t: string) => t.replace('sources: [request,', 'sources: [cookies,'), why: /taint\.sources/ },
    { name: 'a sanitizer ast-grep rejects', edit: (t: string) => t.replace('[{ pattern: "clean($X)" }]', '[{ kind: "no_such_kind" }]'), why: /taint\.sanitizers: ast-grep rejects/ },
  ])('rejects $name, naming the field', async ({ edit, why }) => {
    const file = path.join(dir, 'bad.yml');
    await writeFile(file, edit(PROBE));
    const error = await roachRejection(loadRuleFile(file, dir));
    expect(error.code).toBe('CR_ERR_RULE_INVALID');
    expect(error.message).toMatch(why);
  });
});

describe('operator input: the command line and environment', () => {
  it('marks a trace whose only source is process.argv or process.env as local', () => {
    const [argv] = probe('const target = process.argv[2];\nsink(target);');
    expect(argv?.trace?.local).toBe(true);
    const [env] = probe('sink(process.env.TARGET);');
    expect(env?.trace?.local).toBe(true);
  });

  it('prefers a remote sender over the command line when both reach the sink', () => {
    const [finding] = probe(handler('sink(process.argv[2] + req.query.q);'));
    expect(finding?.trace?.source.label).toBe('req.query.q');
    expect(finding?.trace?.local).toBeUndefined();
    expect(finding?.severity).toBe('high');
  });

  it('lowers local-only findings to low in a #! script, saying why, and leaves remote ones alone', () => {
    const [local] = probe('#!/usr/bin/env node\nconst target = process.argv[2];\nsink(target);');
    expect(local?.severity).toBe('low');
    expect(local?.message).toMatch(/operator input, reported at low severity/);
    const [remote] = probe(`#!/usr/bin/env node\n${handler('sink(req.query.q);')}`);
    expect(remote?.severity).toBe('high');
  });

  it('keeps the rule severity for process.argv in a file without #!', () => {
    const [finding] = probe('const target = process.argv[2];\nsink(target);');
    expect(finding?.severity).toBe('high');
  });
});

describe('originEnded (taint `origin`: data after the fixed origin only picks a path)', () => {
  it.each([
    ['/login?next=', true],
    ['x/login?next=', true],
    ['https://site.example/', true],
    ['//cdn.example/p', true],
    ['?tab=', true],
    ['#', true],
    ['', false],
    ['x', false],
    ['/', false],
    ['//', false],
    ['https://site.example', false],
  ])('%j -> %s', (fixed, ended) => {
    expect(originEnded(fixed)).toBe(ended);
  });
});
