import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Edit } from '../domain/finding.js';

/**
 * Whether the lines a fix changed ran in a test run, from the block coverage Node writes for every process
 * it starts when NODE_V8_COVERAGE is set (any Node test runner, child processes included). V8 reports, per
 * script, the functions with their source ranges and counts; nested ranges refine their parents (a branch
 * never taken is a range with count 0 inside its function's), so an offset ran when the innermost range
 * holding it has a count above 0. Offsets are UTF-16 positions in the script's source, as the file's text
 * here is, provided the runtime ran the file as it is on disk: a script whose source length differs (a
 * loader transpiled it) cannot be mapped and is not measured.
 */

export interface V8Range {
  readonly startOffset: number;
  readonly endOffset: number;
  readonly count: number;
}

interface V8Script {
  readonly url: string;
  readonly functions: readonly { readonly ranges: readonly V8Range[] }[];
}

/** The block ranges of one file as one process ran it, innermost last within equal starts not assumed. */
type ProcessRanges = readonly V8Range[];

/** Per file (path relative to the root), the ranges of every process that loaded it. */
export type CoverageByFile = ReadonlyMap<string, readonly ProcessRanges[]>;

/** What one passing run tells: ranges per file, scripts V8 saw transformed, whether Python was measured. */
export interface RunEvidence {
  readonly coverage: CoverageByFile;
  readonly transformed: ReadonlySet<string>;
  readonly python: boolean;
  /**
   * Scripts of the project itself (outside node_modules) in V8's files: none means the runner sent its
   * processes' coverage elsewhere (`borp --coverage`, `c8` set NODE_V8_COVERAGE to their own folder), so a
   * file missing from it says nothing.
   */
  readonly projectScripts: number;
}

/** Languages whose files Node runs as they are, so V8's offsets are offsets in the file. */
const MEASURABLE = /\.(c|m)?js$/;

export function isMeasurable(file: string): boolean {
  return MEASURABLE.test(file) || file.endsWith('.py');
}

/**
 * Reads every `coverage-*.json` under `dir` and keeps the scripts of `wanted` files (relative to `root`,
 * whose real path the runtime reports). `lengths` are the files' text lengths in that run: a script of
 * another length was transformed before it ran and is left out (its file then counts as not measured).
 */
export async function readV8Coverage(
  dir: string,
  root: string,
  lengths: ReadonlyMap<string, number>,
): Promise<{ coverage: Map<string, ProcessRanges[]>; transformed: Set<string>; projectScripts: number }> {
  const coverage = new Map<string, ProcessRanges[]>();
  const transformed = new Set<string>();
  let projectScripts = 0;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.startsWith('coverage-') && name.endsWith('.json'));
  } catch {
    return { coverage, transformed, projectScripts };
  }
  for (const name of names) {
    let scripts: readonly V8Script[];
    try {
      scripts = (JSON.parse(await readFile(path.join(dir, name), 'utf8')) as { result?: V8Script[] }).result ?? [];
    } catch {
      continue; // a process killed while writing leaves a partial file: the others still count
    }
    for (const script of scripts) {
      if (!script.url.startsWith('file:')) continue;
      const file = path.relative(root, fileURLToPath(script.url)).split(path.sep).join('/');
      if (!file.startsWith('../') && !file.split('/').includes('node_modules')) projectScripts++;
      const length = lengths.get(file);
      if (length === undefined) continue;
      const ranges = script.functions.flatMap((fn) => fn.ranges);
      const whole = ranges.reduce((max, range) => Math.max(max, range.endOffset), 0);
      if (whole !== length) {
        transformed.add(file);
        continue;
      }
      coverage.set(file, [...(coverage.get(file) ?? []), ranges]);
    }
  }
  return { coverage, transformed, projectScripts };
}

/** Whether `offset` ran in this process: the count of the smallest range holding it. */
function ranAt(ranges: ProcessRanges, offset: number): boolean {
  let best: V8Range | undefined;
  for (const range of ranges) {
    if (range.startOffset <= offset && offset < range.endOffset && (!best || range.endOffset - range.startOffset <= best.endOffset - best.startOffset)) best = range;
  }
  return best !== undefined && best.count > 0;
}

/**
 * The offsets, in the text after all of `fileEdits` (one file's edits of a batch, not overlapping), that stand
 * for `own` (some of those edits): the first character of what an edit wrote that is not white space, or, for
 * an edit that only removed or wrote white space, the first such character after it.
 */
export function probeOffsets(fileEdits: readonly Edit[], own: readonly Edit[], after: string): number[] {
  const sorted = [...fileEdits].sort((a, b) => a.start - b.start);
  const probes: number[] = [];
  let delta = 0;
  for (const edit of sorted) {
    const start = edit.start + delta;
    delta += edit.text.length - (edit.end - edit.start);
    if (!own.includes(edit)) continue;
    const inText = edit.text.search(/\S/);
    let probe = inText >= 0 ? start + inText : start + edit.text.length;
    if (inText < 0) while (probe < after.length && /\s/.test(after[probe] ?? '')) probe++;
    probes.push(Math.min(probe, Math.max(0, after.length - 1)));
  }
  return probes;
}

export type LinesRan = 'ran' | 'not-ran' | 'not-measured';

/** Whether every probe of a fix ran in at least one process of the run; why, in words. */
export function linesRan(file: string, probes: readonly number[], evidence: RunEvidence): { result: LinesRan; detail: string } {
  const { coverage, transformed } = evidence;
  if (!isMeasurable(file)) return { result: 'not-measured', detail: `no coverage for ${path.extname(file) || 'this kind of'} files: JavaScript that Node runs as it is on disk, and Python under coverage.py, are measured` };
  if (file.endsWith('.py') && !evidence.python) {
    return { result: 'not-measured', detail: 'no Python coverage: the test command is not a plain pytest, unittest or manage.py test run, or coverage.py is not installed where it runs' };
  }
  if (transformed.has(file)) return { result: 'not-measured', detail: `${file} was transformed before it ran (a loader or transpiler), so V8's offsets do not map to it` };
  if (!file.endsWith('.py') && evidence.projectScripts === 0) {
    return { result: 'not-measured', detail: "no script of the project reached Code Roach's coverage folder: the test runner collects coverage in its own (borp --coverage, c8, nyc)" };
  }
  const processes = coverage.get(file);
  if (!processes) return { result: 'not-ran', detail: `the tests passed but never loaded ${file}` };
  const missed = probes.filter((offset) => !processes.some((ranges) => ranAt(ranges, offset)));
  return missed.length === 0
    ? { result: 'ran', detail: `the changed lines ran in the passing tests (${processes.length} process(es) loaded ${file})` }
    : { result: 'not-ran', detail: `the tests passed but did not execute the changed lines of ${file}` };
}
