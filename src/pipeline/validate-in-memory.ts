import { performance } from 'node:perf_hooks';
import { parse } from '@ast-grep/napi';
import type { Edit, Finding, Language } from '../domain/finding.js';
import { analyzeSource, syntaxProblems } from '../engine/analyze.js';
import { applyEdits } from '../engine/fixer.js';
import { astGrepLang } from '../engine/languages.js';
import type { RuleSet } from '../engine/rules.js';
import type { ValidationStep } from './ports.js';

function findingKey(finding: Finding): string {
  return `${finding.ruleId}\0${finding.snippet}`;
}

function countByKey(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const finding of findings) counts.set(findingKey(finding), (counts.get(findingKey(finding)) ?? 0) + 1);
  return counts;
}

export interface InMemoryValidation {
  readonly steps: ValidationStep[];
  readonly passed: boolean;
  readonly fixedText: string;
}

/**
 * Re-parses the fixed text (no syntax problem may be added) and re-analyzes it (the target finding
 * must be gone and no finding may appear that was not there before). `before` are the file's
 * findings from this crawl.
 */
export function validateInMemory(input: {
  readonly source: string;
  readonly language: Language;
  readonly file: string;
  readonly edits: readonly Edit[];
  readonly target: Finding;
  readonly before: readonly Finding[];
  readonly rules: RuleSet;
}): InMemoryValidation {
  const steps: ValidationStep[] = [];
  let fixedText: string;
  try {
    fixedText = applyEdits(input.source, input.edits);
  } catch (error) {
    return { steps: [{ step: 'reparse', name: 'apply edits', passed: false, detail: (error as Error).message, durationMs: 0 }], passed: false, fixedText: input.source };
  }

  let started = performance.now();
  const beforeProblems = syntaxProblems(parse(astGrepLang(input.language), input.source)).length;
  const afterProblems = syntaxProblems(parse(astGrepLang(input.language), fixedText)).length;
  const reparsed = afterProblems <= beforeProblems;
  steps.push({
    step: 'reparse',
    name: 're-parse',
    passed: reparsed,
    detail: reparsed ? `${afterProblems} syntax problem(s), as before or fewer` : `syntax problems went from ${beforeProblems} to ${afterProblems}`,
    durationMs: Math.round(performance.now() - started),
  });
  if (!reparsed) return { steps, passed: false, fixedText };

  started = performance.now();
  const after = analyzeSource({ text: fixedText, file: input.file, language: input.language, rules: input.rules }).findings;
  const beforeCounts = countByKey(input.before);
  const afterCounts = countByKey(after);
  const targetKey = findingKey(input.target);
  const targetGone = (afterCounts.get(targetKey) ?? 0) < (beforeCounts.get(targetKey) ?? 0);
  const introduced = [...afterCounts].filter(([key, n]) => n > (beforeCounts.get(key) ?? 0)).map(([key]) => key.split('\0')[0]);
  const reanalyzed = targetGone && introduced.length === 0;
  steps.push({
    step: 'reanalyze',
    name: 're-analyze',
    passed: reanalyzed,
    detail: !targetGone
      ? `the ${input.target.ruleId} finding is still reported after the fix`
      : introduced.length > 0
        ? `the fix introduces new finding(s): ${introduced.join(', ')}`
        : 'target finding gone, nothing new',
    durationMs: Math.round(performance.now() - started),
  });
  return { steps, passed: reanalyzed, fixedText };
}
