import { readFile, writeFile } from 'node:fs/promises';
import { isMap, isNode, isSeq, parseDocument } from 'yaml';
import { RoachError } from '../domain/errors.js';
import type { Language } from '../domain/finding.js';
import { findingsOf, positionOf, testFileOf } from './rule-tests.js';
import type { FindingPosition } from './rule-tests.js';
import type { CompiledRule } from './rules.js';

export interface PositionUpdate {
  readonly file: string;
  /** Invalid cases that received `errors`. */
  readonly filled: readonly number[];
  /** Invalid cases left as they were, each with the reason. */
  readonly skipped: readonly { readonly index: number; readonly reason: string }[];
}

function errorsBlock(positions: readonly FindingPosition[]): string {
  const items = positions.map((p) => `      - { line: ${p.line}, column: ${p.column}, endLine: ${p.endLine}, endColumn: ${p.endColumn} }`);
  return `    errors:\n${items.join('\n')}\n`;
}

/**
 * Blank lines and comments less indented than the case's keys, at the end of a case, belong to the
 * case after it (a comment indented like code is part of a block scalar and stays).
 */
function splitTrailing(chunk: string): { body: string; tail: string } {
  const lines = chunk.split('\n');
  let keep = lines.length - (chunk.endsWith('\n') ? 1 : 0);
  while (keep > 1 && /^( {0,3}#.*|\s*)$/.test(lines[keep - 1] ?? '')) keep -= 1;
  const body = lines.slice(0, keep).join('\n');
  return { body: `${body}\n`, tail: chunk.slice(body.length + 1) };
}

function languageOfCase(rule: CompiledRule, value: unknown): Language | null {
  const language = value ?? rule.definition.languages[0];
  return rule.definition.languages.find((candidate) => candidate === language) ?? null;
}

/**
 * Writes `errors` (the positions the rule reports today) into the invalid cases of a rule's test file
 * that state none, e.g. cases written for `count`, which it replaces. A case whose number of findings
 * differs from its `count` (default 1) is left alone: its positions would record a bug. Cases that
 * state positions are never changed. The file is edited as text, so comments and layout stay; the
 * positions are today's output, so read them before committing: they are right only if the rule is.
 */
export async function fillCasePositions(rule: CompiledRule): Promise<PositionUpdate> {
  const file = testFileOf(rule);
  const filled: number[] = [];
  const skipped: { index: number; reason: string }[] = [];
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    // a missing test file is the test run's to report; anything else stops the update
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { file, filled, skipped };
    throw new RoachError('CR_ERR_PATH_UNREADABLE', `Cannot read ${file}: ${(error as Error).message}`, { file });
  }
  const document = parseDocument(text);
  const invalid = document.errors.length > 0 ? null : document.get('invalid');
  if (!isSeq(invalid)) return { file, filled, skipped: [{ index: 0, reason: 'not valid YAML with a list of invalid cases' }] };
  // each case's text runs from the line its item starts on to the next item's line
  const starts = invalid.items.map((item) => (isNode(item) && item.range ? text.lastIndexOf('\n', item.range[0]) + 1 : -1));
  const edits: { from: number; to: number; text: string }[] = [];
  for (const [index, item] of invalid.items.entries()) {
    const from = starts[index] ?? -1;
    if (!isMap(item) || from < 0) {
      skipped.push({ index, reason: 'not a mapping' });
      continue;
    }
    if (item.has('errors')) continue;
    const code = item.get('code');
    const count = item.get('count') ?? 1;
    const language = languageOfCase(rule, item.get('language'));
    if (typeof code !== 'string' || typeof count !== 'number' || !language) {
      skipped.push({ index, reason: 'needs a `code` string, a numeric `count` and a language of the rule' });
      continue;
    }
    const file = item.get('path');
    const positions = findingsOf(rule, code, language, typeof file === 'string' ? file : undefined).map(positionOf);
    if (positions.length !== count) {
      skipped.push({ index, reason: `the rule reports ${positions.length} finding(s), the case expects ${count}` });
      continue;
    }
    const next = starts[index + 1] ?? -1;
    const to = next >= 0 ? next : text.length;
    const { body, tail } = splitTrailing(text.slice(from, to).replace(/^ {4}count: *\d+ *\n/m, ''));
    edits.push({ from, to, text: `${body}${errorsBlock(positions)}${tail}` });
    filled.push(index);
  }
  if (edits.length > 0) {
    const updated = edits.reduceRight((out, edit) => out.slice(0, edit.from) + edit.text + out.slice(edit.to), text);
    await writeFile(file, updated);
  }
  return { file, filled, skipped };
}
