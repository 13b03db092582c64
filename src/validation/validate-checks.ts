import { mkdir, readFile, realpath, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ValidationVerdict } from '../domain/confidence.js';
import type { Edit } from '../domain/finding.js';
import { applyEdits } from '../engine/fixer.js';
import { maskSecretsInText } from '../engine/secrets/mask-text.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { makeIsolatedCopy } from '../io/isolated-copy.js';
import type { ValidationStep } from './ports.js';
import { runCommand } from '../io/run-command.js';
import type { CommandLaunch } from '../io/run-command.js';
import { mountableDirs, sandboxLaunch } from '../io/sandbox.js';
import type { CommandPolicy } from '../io/sandbox.js';
import { encodeSource } from '../io/source-file.js';
import type { TextEncodingInfo } from '../io/source-file.js';
import { addPythonCoverage, withPythonCoverage } from './python-coverage.js';
import { linesRan, probeOffsets, readV8Coverage } from './v8-coverage.js';
import type { LinesRan } from './v8-coverage.js';

export interface CheckSpec {
  readonly name: string;
  readonly run: string;
  readonly timeoutMs: number;
  /** The project's test command (--validate-with-tests): run with coverage, for the fixes that could earn credit. */
  readonly tests?: boolean;
}

export interface CheckCandidate {
  readonly id: string;
  readonly edits: readonly Edit[];
}

export interface SourceText {
  readonly text: string;
  readonly info: TextEncodingInfo;
}

export interface CheckOutcome {
  readonly verdict: ValidationVerdict;
  readonly steps: ValidationStep[];
  /** With coverage: whether the fix's changed lines ran in the passing run. */
  readonly linesRan?: LinesRan;
}

/**
 * Runs the project's check commands once for a whole batch of fixes on an isolated copy; when they
 * fail, bisects the batch to find the fixes that break them. Candidates must not overlap (the fixer
 * planned them). When the checks fail with no fix applied, they cannot judge fixes: every candidate
 * is 'unchecked'. Returns how many times the checks ran, which the benchmark and tests read.
 * `policy` decides whether and how the commands run (see CommandPolicy); when they may not, every
 * candidate is 'unchecked' with the reason. Command output is stored with the fixes, so secrets in
 * it are masked first.
 */
export async function validateWithChecks(input: {
  readonly root: string;
  readonly leftOut: readonly string[];
  readonly checks: readonly CheckSpec[];
  readonly candidates: readonly CheckCandidate[];
  readonly sources: ReadonlyMap<string, SourceText>;
  readonly policy: CommandPolicy;
  /** Run with NODE_V8_COVERAGE and record, per fix of a passing batch, whether its changed lines ran. */
  readonly coverage?: boolean;
  /** Epoch ms after which no further run starts: the fixes not judged by then are 'unchecked'. */
  readonly deadline?: number;
  /** Told before each run, for progress on the terminal. */
  readonly onStatus?: (message: string) => void;
}): Promise<{ outcomes: Map<string, CheckOutcome>; runs: number }> {
  const outcomes = new Map<string, CheckOutcome>();
  if (input.checks.length === 0 || input.candidates.length === 0) return { outcomes, runs: 0 };
  const policy = input.policy;
  if (policy.mode === 'skip') {
    const step: ValidationStep = { step: 'check', name: input.checks.map((c) => c.name).join(' + '), passed: false, detail: `not run: ${policy.reason}`, durationMs: 0 };
    for (const candidate of input.candidates) outcomes.set(candidate.id, { verdict: 'unchecked', steps: [step] });
    return { outcomes, runs: 0 };
  }
  const copy = await makeIsolatedCopy(input.root, input.leftOut);
  const mounts = policy.mode === 'host' ? [] : await mountableDirs(input.root, copy.linked);
  const launchWith = (env: Readonly<Record<string, string>>): CommandLaunch =>
    policy.mode === 'host' ? { wrapper: [], env: { ...policy.env, ...env } } : sandboxLaunch(policy.sandbox, copy.dir, mounts, env);
  const names = input.checks.map((c) => c.name).join(' + ');
  let runs = 0;
  try {
    /** One run of the checks; with coverage (not for the baseline, which judges no fix), V8 writes to the returned folder. */
    const runChecks = async (what: string, measure: boolean): Promise<{ ok: boolean; step: ValidationStep; coverageDir: string | null }> => {
      runs++;
      const coverageDir = input.coverage && measure ? path.join(copy.dir, '.roach-v8-coverage', String(runs)) : null;
      const launch = launchWith(coverageDir ? { NODE_V8_COVERAGE: coverageDir } : {});
      input.onStatus?.(`validating ${what}: ${input.checks.map((c) => c.run).join(' && ')}`);
      if (coverageDir) await mkdir(coverageDir, { recursive: true });
      for (const check of input.checks) {
        const command = coverageDir && check.tests ? (withPythonCoverage(check.run, coverageDir) ?? check.run) : check.run;
        const result = await runCommand(command, copy.dir, check.timeoutMs, launch);
        if (!result.ok) {
          const why = result.timedOut ? `timed out after ${check.timeoutMs} ms` : result.outputLimited ? 'output limit passed' : `exit code ${result.exitCode}`;
          const detail = maskSecretsInText(`${why}\n${result.outputTail}`);
          return { ok: false, step: { step: 'check', name: check.name, passed: false, detail, durationMs: result.durationMs }, coverageDir };
        }
      }
      return { ok: true, step: { step: 'check', name: names, passed: true, detail: '', durationMs: 0 }, coverageDir };
    };
    /** Writes the batch's fixes into the copy (null: the original texts back); returns each file's text and edits. */
    const writeBatch = async (batch: readonly CheckCandidate[] | null): Promise<Map<string, { text: string; edits: readonly Edit[] }>> => {
      const touched = new Set((batch ?? input.candidates).flatMap((c) => c.edits.map((e) => e.file)));
      const written = new Map<string, { text: string; edits: readonly Edit[] }>();
      for (const file of touched) {
        const source = input.sources.get(file);
        if (!source) throw new Error(`validateWithChecks: no source text for ${file}`);
        const edits = batch ? batch.flatMap((c) => c.edits.filter((e) => e.file === file)) : [];
        const text = applyEdits(source.text, edits);
        written.set(file, { text, edits });
        await writeFileAtomic(path.join(copy.dir, file), encodeSource(text, source.info));
      }
      return written;
    };
    const overBudget = (batch: readonly CheckCandidate[]): boolean => {
      if (input.deadline === undefined || Date.now() < input.deadline) return false;
      const step: ValidationStep = { step: 'check', name: names, passed: false, detail: 'not run: the time budget for running the tests in this crawl was spent', durationMs: 0 };
      for (const candidate of batch) outcomes.set(candidate.id, { verdict: 'unchecked', steps: [step] });
      return true;
    };
    /** A passing batch: each fix passed; with coverage, whether its own changed lines ran. */
    const passedBatch = async (batch: readonly CheckCandidate[], step: ValidationStep, written: Map<string, { text: string; edits: readonly Edit[] }>, coverageDir: string | null): Promise<void> => {
      const passed: ValidationStep = { ...step, detail: `passed with a batch of ${batch.length} fix(es)` };
      if (!coverageDir) {
        for (const candidate of batch) outcomes.set(candidate.id, { verdict: 'passed', steps: [passed] });
        return;
      }
      const lengths = new Map([...written].map(([file, { text }]) => [file, text.length]));
      const realRoot = await realpath(copy.dir);
      const { coverage, transformed, projectScripts } = await readV8Coverage(coverageDir, realRoot, lengths);
      const python = await addPythonCoverage(coverageDir, realRoot, new Map([...written].map(([file, { text }]) => [file, text])), coverage);
      const evidence = { coverage, transformed, python, projectScripts };
      for (const candidate of batch) {
        const judged = candidate.edits.map((edit) => {
          const file = written.get(edit.file);
          return linesRan(edit.file, file ? probeOffsets(file.edits, [edit], file.text) : [], evidence);
        });
        const result = judged.find((j) => j.result === 'not-measured') ?? judged.find((j) => j.result === 'not-ran') ?? judged[0];
        const linesRanResult = result?.result ?? 'not-measured';
        const coverageStep: ValidationStep = { step: 'coverage', name: names, passed: linesRanResult === 'ran', detail: result?.detail ?? '', durationMs: 0 };
        outcomes.set(candidate.id, { verdict: 'passed', steps: [passed, coverageStep], linesRan: linesRanResult });
      }
    };

    if (overBudget(input.candidates)) return { outcomes, runs };
    const baseline = await runChecks('with no fix applied', false);
    if (!baseline.ok) {
      const step: ValidationStep = { ...baseline.step, detail: `checks already fail with no fix applied, so they cannot judge fixes: ${baseline.step.detail}` };
      for (const candidate of input.candidates) outcomes.set(candidate.id, { verdict: 'unchecked', steps: [step] });
      return { outcomes, runs };
    }

    const bisect = async (batch: readonly CheckCandidate[]): Promise<void> => {
      if (overBudget(batch)) return;
      const written = await writeBatch(batch);
      const result = await runChecks(`a batch of ${batch.length} fix(es)`, true);
      await writeBatch(null);
      if (result.ok) await passedBatch(batch, result.step, written, result.coverageDir);
      // a run's coverage files can be large and are read once: the next runs do not need them
      if (result.coverageDir) await rm(result.coverageDir, { recursive: true, force: true });
      if (result.ok) return;
      if (batch.length === 1 && batch[0]) {
        outcomes.set(batch[0].id, { verdict: 'failed', steps: [result.step] });
        return;
      }
      const middle = Math.ceil(batch.length / 2);
      const left = batch.slice(0, middle);
      const right = batch.slice(middle);
      await bisect(left);
      await bisect(right);
      // Each half passed alone but not together: the fixes interact. Keep the left, reject the right.
      if ([...left, ...right].every((c) => outcomes.get(c.id)?.verdict === 'passed')) {
        for (const candidate of right) {
          outcomes.set(candidate.id, {
            verdict: 'failed',
            steps: [{ ...result.step, detail: `breaks the checks in combination with other fixes of the batch\n${result.step.detail}` }],
          });
        }
      }
    };
    await bisect(input.candidates);
    return { outcomes, runs };
  } finally {
    await copy.dispose();
  }
}

/** The project's own test command: config wins, else `npm test` when package.json has a test script. */
export async function projectTestCommand(root: string, configured: string | undefined): Promise<string | null> {
  if (configured) return configured;
  try {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
    return pkg.scripts?.test ? 'npm test --silent' : null;
  } catch {
    return null;
  }
}
