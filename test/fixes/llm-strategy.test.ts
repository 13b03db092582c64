import { describe, expect, it } from 'vitest';
import { analyzeSource } from '../../src/engine/analyze.js';
import { loadRules, ruleSetOf } from '../../src/engine/rules.js';
import { enclosingUnitOf } from '../../src/engine/enclosing-unit.js';
import { cleanedReplacement, llmStrategy } from '../../src/fixes/llm-strategy.js';
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

describe('cleanedReplacement', () => {
  it('takes the code out of a Markdown fence and a line-number gutter, and trailing white space', () => {
    expect(cleanedReplacement('```js\nfunction f() {\n  return 1;\n}\n```\n')).toBe('function f() {\n  return 1;\n}');
    expect(cleanedReplacement('>    4 |   show() {\n     5 |   }\n')).toBe('  show() {\n  }');
    expect(cleanedReplacement('const a = "```";')).toBe('const a = "```";');
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
        return { replacement: "  show(req, res) {\n    res.redirect('/');\n  }", explanation: ' Redirects home. ', usage: { inputTokens: 10, outputTokens: 5 } };
      },
    };
    const strategy = llmStrategy({ generator, ruleBrief: () => ({ message: 'open redirect', rationale: 'Attackers send users away.', cwe: 601 }) });
    const proposal = await strategy.propose({ finding, source: SOURCE, pattern: undefined });
    expect(proposal).toMatchObject({ strategy: 'llm', safety: 'unsafe', template: null, explanation: 'Redirects home.' });
    expect(proposal?.edits).toEqual([{ file: 'src/pages.js', start: SOURCE.indexOf('  show'), end: SOURCE.indexOf('\n}\n') , text: "  show(req, res) {\n    res.redirect('/');\n  }" }]);
    expect(asked[0]?.prompt).toContain('Why it matters: Attackers send users away.');
    expect(asked[0]?.prompt).toContain("Imports of the file:\nimport express from 'express';");
    expect(asked[0]?.prompt).toContain('Untrusted data flows: req.query.next');
  });

  it('declines an unchanged or empty answer, and reports a failed call without throwing', async () => {
    const rules = ruleSetOf((await loadRules({})).rules, []);
    const finding = analyzeSource({ text: SOURCE, file: 'src/pages.js', language: 'javascript', rules }).findings.find((f) => f.ruleId === 'js/no-open-redirect');
    if (!finding) throw new Error('expected an open-redirect finding');
    const same = llmStrategy({ generator: { label: 's', provider: 's', model: 'm', generate: async () => ({ replacement: '  show(req, res) {\n    res.redirect(req.query.next);\n  }\n', explanation: '', usage: { inputTokens: null, outputTokens: null } }) }, ruleBrief: () => null });
    expect(await same.propose({ finding, source: SOURCE, pattern: undefined })).toBeNull();
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
        return { replacement: `  show(req, res) {\n    res.redirect('/${request.prompt.length}');\n  }`, explanation: 'x', usage: { inputTokens: 1_000_000, outputTokens: 0 } };
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
});
