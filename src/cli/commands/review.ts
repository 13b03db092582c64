import type { Command } from 'commander';
import type { StoredFix } from '../../fixes/ports.js';
import { RoachError } from '../../domain/errors.js';
import type { LearningRun } from '../../learning/learn-templates.js';
import { writeStdout } from '../output.js';
import { actorName } from '../actor.js';
import { useBaselineWasm } from '../baseline-wasm.js';

interface ProjectFlags {
  readonly dir: string;
  readonly dataDir?: string;
  readonly json?: boolean;
}

/** What the review commands run, loaded when one runs (a command's start-up stays short). */
async function reviewing() {
  useBaselineWasm();
  const [{ approveFix, rejectFix }, { withProject }, { learnAfterDecision, projectRules }, { approveEditedFix }] = await Promise.all([
    import('../../fixes/fix-actions.js'),
    import('../../main/project-session.js'),
    import('../../main/run-learn.js'),
    import('../../learning/edited-approval.js'),
  ]);
  return { approveFix, rejectFix, withProject, learnAfterDecision, projectRules, approveEditedFix };
}

function shortId(id: string): string {
  return id.slice(0, 8);
}

function line(fix: StoredFix): string {
  return `${shortId(fix.id)}  ${fix.confidence.toFixed(2)}  ${fix.safety.padEnd(6)}  ${fix.severity.padEnd(8)}  ${fix.ruleId}  ${fix.filePath}:${fix.line}`;
}

function details(fix: StoredFix): string {
  // a coverage step is evidence, not a verdict: lines that did not run fail nothing
  const mark = (s: (typeof fix.validation)[number]): string => (s.step === 'coverage' ? (s.passed ? 'ran   ' : 'no run') : s.passed ? 'passed' : 'FAILED');
  const steps = fix.validation.map((s) => `  ${mark(s)}  ${s.step}/${s.name}${s.detail ? `: ${s.detail.split('\n')[0]}` : ''}`);
  return [
    `fix ${fix.id}  [${fix.status}]`,
    `rule ${fix.ruleId} (${fix.severity}) at ${fix.filePath}:${fix.line}: ${fix.message}`,
    `strategy ${fix.strategy}, ${fix.safety}, confidence ${fix.confidence}${fix.statusReason ? ` (${fix.statusReason})` : ''}`,
    ...(fix.explanation ? [`why: ${fix.explanation}`] : []),
    ...(fix.strategy === 'llm' ? [`generated for ${fix.generationCostUsd === null ? 'an unknown price (the model has none in the table)' : `${fix.generationCostUsd.toFixed(6)} USD`}`] : []),
    'validation:',
    ...(steps.length > 0 ? steps : ['  (none recorded)']),
    '',
    fix.diff,
  ].join('\n');
}

/** One line on what the approval taught, when it taught something or learning failed. */
function learningNote(learning: LearningRun | Error): string {
  if (learning instanceof Error) return `Learning from this approval failed: ${learning.message}\n`;
  return learning.promoted.map((t) => `Learned fix template for ${t.ruleId}: ${t.pattern} -> ${t.rewrite} (${t.exampleCount} examples)\n`).join('');
}

function projectOptions(command: Command): Command {
  return command
    .option('--dir <dir>', 'the crawled project', '.')
    .option('--data-dir <dir>', 'where the embedded database lives (default: <dir>/.roach)');
}

export function registerReview(program: Command): void {
  const review = program.command('review').description('List, show, approve or reject fixes waiting for review.');
  projectOptions(review.command('list', { isDefault: true }).description('list pending fixes'))
    .option('--json', 'print JSON')
    .action(async (flags: ProjectFlags) => {
      useBaselineWasm();
      const { withProject } = await import('../../main/project-session.js');
      const fixes = await withProject(flags.dir, flags.dataDir, (deps) => deps.store.listFixes(deps.project, ['pending']));
      if (flags.json) return writeStdout(`${JSON.stringify(fixes.map(({ diff: _diff, ...rest }) => rest), null, 2)}\n`);
      if (fixes.length === 0) return writeStdout('No fixes waiting for review.\n');
      await writeStdout(`${fixes.length} fix(es) waiting for review:\nid        conf  safety  severity  rule  location\n${fixes.map(line).join('\n')}\n`);
    });
  projectOptions(review.command('show').description('show one fix as a unified diff with its validation record').argument('<fix-id>'))
    .action(async (fixId: string, flags: ProjectFlags) => {
      useBaselineWasm();
      const { withProject } = await import('../../main/project-session.js');
      const fix = await withProject(flags.dir, flags.dataDir, (deps) => deps.store.getFix(deps.project, fixId));
      if (!fix) throw new RoachError('CR_ERR_FIX_NOT_FOUND', `No fix ${fixId} in this project (or the prefix is ambiguous).`);
      await writeStdout(`${details(fix)}\n`);
    });
  projectOptions(review.command('approve').description('apply a pending fix (same safety checks as automatic fixes)').argument('<fix-id>'))
    .option('--edited', 'you edited the file by hand instead: record your version as the fix (it must fix the finding)')
    .action(async (fixId: string, flags: ProjectFlags & { edited?: boolean }) => {
      const { withProject, approveEditedFix, projectRules, approveFix, learnAfterDecision } = await reviewing();
      const { fix, learning } = await withProject(flags.dir, flags.dataDir, async (deps) => {
        const approved = flags.edited
          ? await approveEditedFix({ ...deps, rules: (await projectRules(deps.root)).rules }, fixId, actorName())
          : await approveFix(deps, fixId, actorName());
        return { fix: approved, learning: await learnAfterDecision(deps, approved) };
      });
      const done = flags.edited ? `Recorded your edit of ${fix.filePaths.join(', ')} as fix ${shortId(fix.id)}.` : `Applied fix ${shortId(fix.id)} to ${fix.filePaths.join(', ')}.`;
      await writeStdout(`${done}\n${learningNote(learning)}`);
    });
  projectOptions(review.command('reject').description('reject a pending fix').argument('<fix-id>'))
    .option('--reason <text>', 'why (recorded with the fix)')
    .action(async (fixId: string, flags: ProjectFlags & { reason?: string }) => {
      const { withProject, rejectFix, learnAfterDecision } = await reviewing();
      const { fix, learning } = await withProject(flags.dir, flags.dataDir, async (deps) => {
        const rejected = await rejectFix(deps, fixId, actorName(), flags.reason ?? null);
        return { fix: rejected, learning: await learnAfterDecision(deps, rejected) };
      });
      await writeStdout(`Rejected fix ${shortId(fix.id)}.\n${learning instanceof Error ? learningNote(learning) : ''}`);
    });
}
