import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../src/engine/analyze.js';
import { loadRules, ruleSetOf } from '../../src/engine/rules.js';
import { enclosingUnitOf } from '../../src/engine/enclosing-unit.js';
import { hitRateOf, llmStrategy } from '../../src/fixes/llm-strategy.js';
import { anchoredEdits, cleanedCode } from '../../src/fixes/llm-edits.js';
import type { FixGenerator, FixRequest } from '../../src/fixes/ports.js';

const SOURCE = "import express from 'express';\n\nexport class Pages {\n  show(req, res) {\n    res.redirect(req.query.next);\n  }\n}\n";

describe('enclosingUnitOf', () => {
  it('is the innermost function around the span, from the start of its line, with the file imports', () => {
    const at = SOURCE.indexOf('res.redirect');
    const unit = enclosingUnitOf(SOURCE, 'javascript', at, at + 10);
    expect(unit).toMatchObject({ kind: 'method', text: '  show(req, res) {\n    res.redirect(req.query.next);\n  }', imports: ["import express from 'express';"] });
  });

  it('starts a callback where it starts, and is the statement outside any function', () => {
    const code = "app.get('/', (req, res) => {\n  res.send(req.query.q);\n});\nconst limit = 10;\n";
    const inside = code.indexOf('res.send');
    expect(enclosingUnitOf(code, 'javascript', inside, inside + 3)?.text).toBe("(req, res) => {\n  res.send(req.query.q);\n}");
    const top = code.indexOf('limit');
    expect(enclosingUnitOf(code, 'javascript', top, top + 5)).toMatchObject({ kind: 'statement', text: 'const limit = 10;' });
  });
});

describe('cleanedCode', () => {
  it('takes the code out of a Markdown fence and a line-number gutter', () => {
    expect(cleanedCode('```js\nfunction f() {\n  return 1;\n}\n```\n')).toBe('function f() {\n  return 1;\n}');
    expect(cleanedCode('>    4 |   show() {\n     5 |   }')).toBe('  show() {\n  }');
    expect(cleanedCode('const a = "```";')).toBe('const a = "```";');
  });
});

describe('anchoredEdits', () => {
  const file = 'src/a.js';
  const source = "import a from 'a';\n\nfunction f(x) {\n  return eval(x);\n}\n";
  it('anchors each edit on text that occurs once, in file order', () => {
    const result = anchoredEdits(source, file, [
      { find: 'return eval(x);', replace: 'return JSON.parse(x);' },
      { find: "import a from 'a';", replace: "import a from 'a';\nimport b from 'b';" },
    ]);
    expect(result).toEqual({
      edits: [
        { file, start: 0, end: 18, text: "import a from 'a';\nimport b from 'b';" },
        { file, start: source.indexOf('return'), end: source.indexOf('return') + 15, text: 'return JSON.parse(x);' },
      ],
    });
  });
  it('drops the whole answer, with the reason, for a missing or repeated anchor, another file, overlaps or no change', () => {
    expect(anchoredEdits(source, file, [{ find: 'return eval(y);', replace: 'x' }])).toEqual({ dropped: 'the anchor "return eval(y);" is not in src/a.js' });
    expect(anchoredEdits(source, file, [{ find: 'x', replace: 'y' }])).toEqual({ dropped: 'the anchor "x" occurs more than once in src/a.js' });
    expect(anchoredEdits(source, file, [{ file: 'src/b.js', find: 'eval', replace: 'JSON.parse' }])).toEqual({ dropped: 'an edit of src/b.js, outside the files this fix may change (src/a.js)' });
    expect(anchoredEdits(source, file, [{ find: 'return eval(x);', replace: 'return 1;' }, { find: 'eval(x);\n}', replace: '2;\n}' }])).toEqual({ dropped: 'two edits of the answer overlap' });
    expect(anchoredEdits(source, file, [{ find: 'return eval(x);', replace: 'return eval(x);' }])).toEqual({ dropped: 'the answer changes nothing' });
    expect(anchoredEdits(source, file, [])).toEqual({ dropped: 'the answer has no edit' });
  });
  it('matches and writes CRLF in a file with CRLF line ends', () => {
    const crlf = 'function f(x) {\r\n  return eval(x);\r\n}\r\n';
    expect(anchoredEdits(crlf, file, [{ find: '{\n  return eval(x);', replace: '{\n  return JSON.parse(x);' }])).toEqual({ edits: [{ file, start: 14, end: 34, text: '{\r\n  return JSON.parse(x);' }] });
  });
});

describe('llmStrategy', () => {
  it('asks about the finding with the rule documentation and proposes one unsafe edit of the unit, with the explanation', async () => {
    const rules = ruleSetOf((await loadRules({})).rules, []);
    const finding = analyzeSource({ text: SOURCE, file: 'src/pages.js', language: 'javascript', rules }).findings.find((f) => f.ruleId === 'js/no-open-redirect');
    if (!finding) throw new Error('expected an open-redirect finding');
    const asked: FixRequest[] = [];
    const generator: FixGenerator = {
      label: 'stub:model',
      provider: 'stub',
      model: 'model',
      generate: async (request) => {
        asked.push(request);
        return { edits: [{ find: 'res.redirect(req.query.next);', replace: "res.redirect('/');" }], explanation: ' Redirects home. ', usage: { inputTokens: 10, outputTokens: 5 } };
      },
    };
    const strategy = llmStrategy({ generator, ruleBrief: () => ({ message: 'open redirect', rationale: 'Attackers send users away.', cwe: 601 }) });
    const proposal = await strategy.propose({ finding, source: SOURCE, pattern: undefined });
    expect(proposal).toMatchObject({ strategy: 'llm', safety: 'unsafe', template: null, explanation: 'Redirects home.' });
    const at = SOURCE.indexOf('res.redirect(req.query.next);');
    expect(proposal?.edits).toEqual([{ file: 'src/pages.js', start: at, end: at + 'res.redirect(req.query.next);'.length, text: "res.redirect('/');" }]);
    expect(asked[0]?.prompt).toContain('Why it matters: Attackers send users away.');
    expect(asked[0]?.prompt).toContain("Imports of the file:\nimport express from 'express';");
    expect(asked[0]?.prompt).toContain('Untrusted data flows: req.query.next');
  });

  it('declines an unchanged or empty answer, and reports a failed call without throwing', async () => {
    const rules = ruleSetOf((await loadRules({})).rules, []);
    const finding = analyzeSource({ text: SOURCE, file: 'src/pages.js', language: 'javascript', rules }).findings.find((f) => f.ruleId === 'js/no-open-redirect');
    if (!finding) throw new Error('expected an open-redirect finding');
    const dropped: string[] = [];
    const same = llmStrategy({ generator: { label: 's', provider: 's', model: 'm', generate: async () => ({ edits: [{ find: 'res.redirect(req.query.next);', replace: 'res.redirect(req.query.next);' }], explanation: '', usage: { inputTokens: null, outputTokens: null } }) }, ruleBrief: () => null, onFailure: (_f, message) => dropped.push(message) });
    expect(await same.propose({ finding, source: SOURCE, pattern: undefined })).toBeNull();
    expect(dropped).toEqual(['answer dropped: the answer changes nothing']);
    // the reason is recorded on the call, and the answer kept (the same prompt would get it again)
    const records: { detail: string | null; kept: boolean }[] = [];
    const store = { keptAnswer: async () => null, approvedFixDiffs: async () => [], recordLlmCall: async (_p: unknown, call: { detail: string | null }, answer: unknown) => void records.push({ detail: call.detail, kept: answer !== null }) };
    const astray = llmStrategy({ generator: { label: 's', provider: 's', model: 'm', generate: async () => ({ edits: [{ find: 'res.redirect(req.query.nxt);', replace: "res.redirect('/');" }], explanation: '', usage: { inputTokens: 1, outputTokens: 1 } }) }, ruleBrief: () => null, store });
    expect(await astray.propose({ finding, source: SOURCE, pattern: undefined, project: { organizationId: 'o', projectId: 'p' }, crawlId: 'c' })).toBeNull();
    expect(records).toEqual([{ detail: 'answer dropped: the anchor "res.redirect(req.query.nxt);" is not in src/pages.js', kept: true }]);
    const failures: string[] = [];
    const failing = llmStrategy({ generator: { label: 'p:m', provider: 'p', model: 'm', generate: () => Promise.reject(new Error('429 Too Many Requests')) }, ruleBrief: () => null, onFailure: (_f, message) => failures.push(message) });
    expect(await failing.propose({ finding, source: SOURCE, pattern: undefined })).toBeNull();
    expect(failures).toEqual(['p:m: 429 Too Many Requests']);
  });

  it('stops calling after three failures in a row (the breaker), and counts what it did', async () => {
    const rules = ruleSetOf((await loadRules({})).rules, []);
    const finding = analyzeSource({ text: SOURCE, file: 'src/pages.js', language: 'javascript', rules }).findings.find((f) => f.ruleId === 'js/no-open-redirect');
    if (!finding) throw new Error('expected an open-redirect finding');
    let calls = 0;
    const failures: string[] = [];
    const strategy = llmStrategy({
      generator: { label: 'p:m', provider: 'p', model: 'm', generate: () => Promise.reject(new Error(`503 unavailable ${++calls}`)) },
      ruleBrief: () => null,
      onFailure: (_f, message) => failures.push(message),
    });
    for (let i = 0; i < 5; i++) expect(await strategy.propose({ finding, source: SOURCE, pattern: undefined })).toBeNull();
    expect(calls).toBe(3);
    expect(failures.slice(3)).toEqual(['not asked: the last 3 calls failed, so this crawl makes no more', 'not asked: the last 3 calls failed, so this crawl makes no more']);
    expect(strategy.stats()).toMatchObject({ calls: 3, failed: 3, cached: 0 });
  });

  it('sends the simpler findings to the cheaper model, skips findings the project left out, and stops at its call limit or budget', async () => {
    const rules = ruleSetOf((await loadRules({})).rules, []);
    const finding = analyzeSource({ text: SOURCE, file: 'src/pages.js', language: 'javascript', rules }).findings.find((f) => f.ruleId === 'js/no-open-redirect');
    if (!finding) throw new Error('expected an open-redirect finding');
    const used: string[] = [];
    const model = (name: string): FixGenerator => ({
      label: `p:${name}`,
      provider: 'p',
      model: name,
      generate: async (request) => {
        used.push(name);
        return { edits: [{ find: 'res.redirect(req.query.next);', replace: `res.redirect('/${request.prompt.length}');` }], explanation: 'x', usage: { inputTokens: 1_000_000, outputTokens: 0 } };
      },
    });
    const cheap = llmStrategy({ generator: model('big'), ruleBrief: () => null, cheap: { generator: model('small'), for: (f) => f.ruleId === 'js/no-open-redirect' } });
    await cheap.propose({ finding, source: SOURCE, pattern: undefined });
    expect(used).toEqual(['small']);
    expect(cheap.stats().model).toBe('p:big (p:small for simpler findings)');

    const excluded = llmStrategy({ generator: model('big'), ruleBrief: () => null, accepts: (f) => f.ruleId !== 'js/no-open-redirect' });
    expect(await excluded.propose({ finding, source: SOURCE, pattern: undefined })).toBeNull();
    expect(used).toEqual(['small']);

    const told: string[] = [];
    const limited = llmStrategy({ generator: model('big'), ruleBrief: () => null, maxCalls: 1, onFailure: (_f, message) => told.push(message) });
    const other = { ...finding, message: `${finding.message} (again)` };
    expect(await limited.propose({ finding, source: SOURCE, pattern: undefined })).not.toBeNull();
    expect(await limited.propose({ finding: other, source: SOURCE, pattern: undefined })).toBeNull();
    expect(told).toEqual(['not asked: this crawl made its 1 call(s) (llm.maxFixes)']);

    // priced through the override: 1M prompt tokens at 0.5 USD; the second budget (0.4) is the one reached
    const budgeted = llmStrategy({
      generator: model('big'),
      ruleBrief: () => null,
      price: { inputPerMillion: 0.5, outputPerMillion: 0 },
      budgets: [{ usd: 5, label: '5.00 USD per crawl' }, { usd: 0.4, label: '50.00 USD per month for the organization (49.60 spent before this crawl)' }],
      onFailure: (_f, message) => told.push(message),
    });
    expect(await budgeted.propose({ finding, source: SOURCE, pattern: undefined })).not.toBeNull();
    expect(await budgeted.propose({ finding: other, source: SOURCE, pattern: undefined })).toBeNull();
    expect(told.at(-1)).toBe('not asked: budget reached: 50.00 USD per month for the organization (49.60 spent before this crawl)');
    expect(budgeted.stats()).toMatchObject({ calls: 1, costUsd: 0.5 });
  });

  it('tells the share of prompts answered from kept answers', () => {
    expect(hitRateOf({ calls: 3, cached: 1 })).toBe(0.25);
    expect(hitRateOf({ calls: 0, cached: 0 })).toBeNull();
  });

  it("shows the template learned for the finding's pattern, and asks the store for a pattern's approved fixes once per crawl", async () => {
    const rules = ruleSetOf((await loadRules({})).rules, []);
    const finding = analyzeSource({ text: SOURCE, file: 'src/pages.js', language: 'javascript', rules }).findings.find((f) => f.ruleId === 'js/no-open-redirect');
    if (!finding) throw new Error('expected an open-redirect finding');
    const asked: FixRequest[] = [];
    let lookups = 0;
    const store = { keptAnswer: async () => null, recordLlmCall: async () => undefined, approvedFixDiffs: async () => (lookups++, ['-a\n+b']) };
    const generator: FixGenerator = { label: 'p:m', provider: 'p', model: 'm', generate: async (request) => (asked.push(request), { edits: [{ find: 'res.redirect(req.query.next);', replace: "res.redirect('/');" }], explanation: 'x', usage: { inputTokens: 1, outputTokens: 1 } }) };
    const strategy = llmStrategy({ generator, ruleBrief: () => null, store });
    const pattern = { fingerprint: finding.patternFingerprint, successes: 1, failures: 0, weightedSuccesses: 1, weightedFailures: 0, deprecated: false, bestFix: { template: 'res.redirect(safePath($URL))', safety: 'unsafe' as const } };
    const project = { organizationId: 'o', projectId: 'p' };
    await strategy.propose({ finding, source: SOURCE, pattern, project, crawlId: 'c' });
    await strategy.propose({ finding: { ...finding, message: 'again' }, source: SOURCE, pattern, project, crawlId: 'c' });
    expect(asked[0]?.prompt).toContain('The fix learned from this codebase for the same issue ($NAMES stand for the code they matched):\nres.redirect(safePath($URL))');
    expect(lookups).toBe(1);
  });

  it('shows a CRLF file with LF line ends, and writes the edit back in CRLF', async () => {
    const crlf = SOURCE.replaceAll('\n', '\r\n');
    const rules = ruleSetOf((await loadRules({})).rules, []);
    const finding = analyzeSource({ text: crlf, file: 'src/pages.js', language: 'javascript', rules }).findings.find((f) => f.ruleId === 'js/no-open-redirect');
    if (!finding) throw new Error('expected an open-redirect finding');
    const asked: FixRequest[] = [];
    const generator: FixGenerator = { label: 'p:m', provider: 'p', model: 'm', generate: async (request) => (asked.push(request), { edits: [{ find: '  show(req, res) {\n    res.redirect(req.query.next);', replace: "  show(req, res) {\n    res.redirect('/');" }], explanation: 'x', usage: { inputTokens: 1, outputTokens: 1 } }) };
    const proposal = await llmStrategy({ generator, ruleBrief: () => null }).propose({ finding, source: crlf, pattern: undefined });
    expect(asked[0]?.prompt).not.toContain('\r');
    expect(proposal?.edits.map((e) => e.text)).toEqual(["  show(req, res) {\r\n    res.redirect('/');"]);
  });
});
