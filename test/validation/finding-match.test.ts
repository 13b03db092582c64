import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/finding.js';
import { analyzeSource } from '../../src/engine/analyze.js';
import { loadRules } from '../../src/engine/rules.js';
import type { RuleSet } from '../../src/engine/rules.js';
import { matchFindings } from '../../src/validation/finding-match.js';
import { TOOL_FAULT, validateFileFixes } from '../../src/validation/validate-in-memory.js';

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadRules();
});

const analyze = (text: string): Finding[] => analyzeSource({ text, file: 'src/a.js', language: 'javascript', rules }).findings;

// A multi-line js/no-useless-catch finding with a `var` inside it: the no-var fix edits a line of the other finding.
const SOURCE = ['async function load(id) {', '  try {', '    var row = await find(id);', '    return row;', '  } catch (e) {', '    throw e;', '  }', '}', ''].join('\n');

describe('matchFindings', () => {
  it('keeps a finding an edit lands inside, and a finding the edit only moves', () => {
    const before = analyze(SOURCE);
    expect(before.map((f) => f.ruleId).sort()).toEqual(['js/no-useless-catch', 'js/no-var']);
    const start = SOURCE.indexOf('var row');
    const edits = [{ file: 'src/a.js', start, end: start + 3, text: 'const' }];
    const fixed = SOURCE.slice(0, start) + 'const' + SOURCE.slice(start + 3);
    const after = analyze(fixed);
    const catchBefore = before.find((f) => f.ruleId === 'js/no-useless-catch')!;
    const catchAfter = after.find((f) => f.ruleId === 'js/no-useless-catch')!;
    // the edit changed the other finding's text, so text comparison would call it new
    expect(catchAfter.snippet).not.toBe(catchBefore.snippet);
    const match = matchFindings(before, after, edits);
    expect(match.introduced).toEqual([]);
    expect([...match.kept].map((i) => before[i]!.ruleId)).toEqual(['js/no-useless-catch']);
  });

  it('calls a finding of a rule the file did not have there new', () => {
    const before = analyze('const a = 1;\n');
    const edits = [{ file: 'src/a.js', start: 0, end: 0, text: 'debugger;\n' }];
    const after = analyze('debugger;\nconst a = 1;\n');
    expect(matchFindings(before, after, edits).introduced.map((f) => f.ruleId)).toEqual(['js/no-debugger']);
  });

  it('follows findings moved by an edit before them, one for one', () => {
    const text = 'debugger;\ndebugger;\n';
    const before = analyze(text);
    const edits = [{ file: 'src/a.js', start: 0, end: 0, text: '// two\n' }];
    const after = analyze(`// two\n${text}`);
    const match = matchFindings(before, after, edits);
    expect(match.introduced).toEqual([]);
    expect(match.kept.size).toBe(2);
  });
});

describe('validateFileFixes', () => {
  it('passes a fix that edits a line inside another multi-line finding (not "introduces a new finding")', () => {
    const before = analyze(SOURCE);
    const target = before.find((f) => f.ruleId === 'js/no-var')!;
    const start = SOURCE.indexOf('var row');
    const outcomes = validateFileFixes({
      source: SOURCE,
      language: 'javascript',
      file: 'src/a.js',
      candidates: [{ id: 'fix-1', edits: [{ file: 'src/a.js', start, end: start + 3, text: 'let' }], target }],
      rules,
    });
    const outcome = outcomes.get('fix-1')!;
    expect(outcome.steps.map((s) => `${s.step} ${s.passed} ${s.detail}`)).toEqual(['reparse true no new syntax problem', 'reanalyze true target gone, nothing new']);
    expect(outcome.passed).toBe(true);
  });

  it('fails a fix whose target is still reported, and one that adds a finding', () => {
    const before = analyze(SOURCE);
    const target = before.find((f) => f.ruleId === 'js/no-var')!;
    const start = SOURCE.indexOf('var row');
    const run = (text: string) =>
      validateFileFixes({ source: SOURCE, language: 'javascript', file: 'src/a.js', candidates: [{ id: 'f', edits: [{ file: 'src/a.js', start, end: start + 3, text }], target }], rules }).get('f')!;
    expect(run('var ').steps.at(-1)?.detail).toBe('the js/no-var finding is still reported after the fix');
    expect(run('debugger; let').steps.at(-1)?.detail).toBe('the fix introduces new finding(s): js/no-debugger');
  });

  it("marks a failure that is the tool's own (edits it cannot apply) so that no pattern is blamed", () => {
    const before = analyze(SOURCE);
    const target = before.find((f) => f.ruleId === 'js/no-var')!;
    const start = SOURCE.indexOf('var row');
    // edits of one fix that overlap each other: the planner would never hand these over
    const edits = [
      { file: 'src/a.js', start, end: start + 3, text: 'let' },
      { file: 'src/a.js', start: start + 1, end: start + 2, text: 'x' },
    ];
    const outcome = validateFileFixes({ source: SOURCE, language: 'javascript', file: 'src/a.js', candidates: [{ id: 'f', edits, target }], rules }).get('f')!;
    expect(outcome.passed).toBe(false);
    expect(outcome.steps[0]?.detail.startsWith(TOOL_FAULT)).toBe(true);
  });
});
