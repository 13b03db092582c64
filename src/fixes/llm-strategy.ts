import type { Finding } from '../domain/finding.js';
import { enclosingUnitOf } from '../engine/enclosing-unit.js';
import type { EnclosingUnit } from '../engine/enclosing-unit.js';
import type { FixGenerator, FixRequest } from './ports.js';
import type { FixStrategy } from './strategies.js';

/**
 * The `llm` strategy (issue 15): for a finding no rule template or learned template fixes, a language model
 * rewrites the code unit around it (the enclosing function, from the syntax tree). Its answer is one edit of
 * that unit, unsafe, and goes through the same validation as every fix (re-parse, re-analysis: the finding
 * gone and nothing new; checks and tests when configured). Files holding a secret never reach a strategy
 * (crawl/crawl.ts gives them no fix), so their text is never sent.
 */

/** What the prompt says about the rule. */
export interface RuleBrief {
  readonly message: string;
  readonly rationale: string;
  readonly cwe: number | null;
}

export interface LlmStrategyDeps {
  readonly generator: FixGenerator;
  /** The rule's message and documentation by id; null for a rule without (an adapter's). */
  readonly ruleBrief: (ruleId: string) => RuleBrief | null;
  /** Told each failed call (the finding is left without a fix, the crawl goes on). */
  readonly onFailure?: (finding: Finding, message: string) => void;
}

const SYSTEM = [
  'You fix one reported issue in source code.',
  'You get the issue, and one unit of code (a function, a method or a statement) that contains it.',
  'Answer with the whole unit rewritten so the issue is gone: same indentation, same names and behaviour otherwise, comments kept.',
  'Change nothing the fix does not need. Do not add imports (the unit cannot hold them); use what the file imports already.',
  'Never write secrets, credentials or placeholder values into the code.',
  'Put a short explanation for a reviewer (one or two sentences: what was wrong, what the fix does) in the explanation field.',
].join(' ');

/** The unit with line numbers from the file, and the finding's lines marked, so the model knows where to look. */
function numbered(source: string, unit: EnclosingUnit, finding: Finding): string {
  const firstLine = source.slice(0, unit.start).split('\n').length;
  return unit.text
    .split('\n')
    .map((line, index) => {
      const number = firstLine + index;
      const marked = number - 1 >= finding.range.startLine && number - 1 <= finding.range.endLine;
      return `${marked ? '>' : ' '}${String(number).padStart(5)} | ${line}`;
    })
    .join('\n');
}

function describeTrace(finding: Finding): string | null {
  const trace = finding.trace;
  if (!trace) return null;
  const steps = [trace.source, ...trace.steps].map((step) => `${step.label} (line ${step.line + 1})`);
  return `Untrusted data flows: ${steps.join(' -> ')} -> the reported line.`;
}

/** The request for one finding: the issue, the rule's documentation, the file's imports, the unit. */
export function fixRequestFor(finding: Finding, brief: RuleBrief | null, source: string, unit: EnclosingUnit): FixRequest {
  const lines = [
    `Issue: ${finding.ruleId}${finding.cwe ? ` (CWE-${finding.cwe})` : ''}, ${finding.severity} ${finding.category}.`,
    `Message: ${finding.message}`,
    ...(brief && brief.rationale ? [`Why it matters: ${brief.rationale}`] : []),
    ...(describeTrace(finding) ? [describeTrace(finding) as string] : []),
    `File: ${finding.file} (${finding.language}), lines ${finding.range.startLine + 1}-${finding.range.endLine + 1} marked with >.`,
    ...(unit.imports.length > 0 ? ['Imports of the file:', ...unit.imports] : []),
    `The ${unit.kind} to rewrite (the numbers and markers are not part of the code; answer without them):`,
    numbered(source, unit, finding),
  ];
  return { system: SYSTEM, prompt: lines.join('\n') };
}

/** The model's code with what models add around it removed: a Markdown fence, line-number gutters. */
export function cleanedReplacement(answer: string): string {
  const fenced = /^\s*```[\w-]*\n([\s\S]*?)\n```\s*$/.exec(answer);
  const body = fenced ? (fenced[1] as string) : answer;
  const lines = body.split('\n');
  const gutter = /^[> ]\s*\d+ \| /;
  return (lines.every((line) => line === '' || gutter.test(line)) ? lines.map((line) => line.replace(gutter, '')) : lines).join('\n').replace(/\s+$/, '');
}

export function llmStrategy(deps: LlmStrategyDeps): FixStrategy {
  return {
    name: 'llm',
    propose: async ({ finding, source }) => {
      if (finding.language === 'text') return null;
      const unit = enclosingUnitOf(source, finding.language, finding.range.startOffset, finding.range.endOffset);
      if (!unit) return null;
      let answer;
      try {
        answer = await deps.generator.generate(fixRequestFor(finding, deps.ruleBrief(finding.ruleId), source, unit));
      } catch (error) {
        deps.onFailure?.(finding, `${deps.generator.label}: ${(error as Error).message}`);
        return null;
      }
      const replacement = cleanedReplacement(answer.replacement);
      // the unit's text ends where its node ends: no trailing line break to keep
      if (replacement.trim() === '' || replacement === unit.text) return null;
      return {
        strategy: 'llm',
        safety: 'unsafe',
        edits: [{ file: finding.file, start: unit.start, end: unit.end, text: replacement }],
        template: null,
        explanation: answer.explanation.trim(),
      };
    },
  };
}
