import { readFile } from 'node:fs/promises';
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

export interface CheckSpec {
  readonly name: string;
  readonly run: string;
  readonly timeoutMs: number;
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
  const launch: CommandLaunch =
    policy.mode === 'host' ? { wrapper: [], env: policy.env } : sandboxLaunch(policy.sandbox, copy.dir, await mountableDirs(input.root, copy.linked));
  let runs = 0;
  try {
    const runChecks = async (): Promise<{ ok: boolean; step: ValidationStep }> => {
      runs++;
      for (const check of input.checks) {
        const result = await runCommand(check.run, copy.dir, check.timeoutMs, launch);
        if (!result.ok) {
          const why = result.timedOut ? `timed out after ${check.timeoutMs} ms` : result.outputLimited ? 'output limit passed' : `exit code ${result.exitCode}`;
          const detail = maskSecretsInText(`${why}\n${result.outputTail}`);
          return { ok: false, step: { step: 'check', name: check.name, passed: false, detail, durationMs: result.durationMs } };
        }
      }
      return { ok: true, step: { step: 'check', name: input.checks.map((c) => c.name).join(' + '), passed: true, detail: '', durationMs: 0 } };
    };
    const writeBatch = async (batch: readonly CheckCandidate[] | null): Promise<void> => {
      const touched = new Set((batch ?? input.candidates).flatMap((c) => c.edits.map((e) => e.file)));
      for (const file of touched) {
        const source = input.sources.get(file);
        if (!source) throw new Error(`validateWithChecks: no source text for ${file}`);
        const edits = batch ? batch.flatMap((c) => c.edits.filter((e) => e.file === file)) : [];
        await writeFileAtomic(path.join(copy.dir, file), encodeSource(applyEdits(source.text, edits), source.info));
      }
    };

    const baseline = await runChecks();
    if (!baseline.ok) {
      const step: ValidationStep = { ...baseline.step, detail: `checks already fail with no fix applied, so they cannot judge fixes: ${baseline.step.detail}` };
      for (const candidate of input.candidates) outcomes.set(candidate.id, { verdict: 'unchecked', steps: [step] });
      return { outcomes, runs };
    }

    const bisect = async (batch: readonly CheckCandidate[]): Promise<void> => {
      await writeBatch(batch);
      const result = await runChecks();
      await writeBatch(null);
      if (result.ok) {
        const step: ValidationStep = { ...result.step, detail: `passed with a batch of ${batch.length} fix(es)` };
        for (const candidate of batch) outcomes.set(candidate.id, { verdict: 'passed', steps: [step] });
        return;
      }
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
