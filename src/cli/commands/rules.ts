import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { CaseResult } from '../../engine/rule-tests.js';
import type { CompiledRule } from '../../engine/rules.js';
import { writeStdout } from '../output.js';

/** Fills in the positions of invalid cases that state none; one line per changed file and per case left alone. */
async function updatePositions(rules: readonly CompiledRule[]): Promise<string[]> {
  const [{ fillCasePositions }, { testFileOf }] = await Promise.all([import('../../engine/rule-test-positions.js'), import('../../engine/rule-tests.js')]);
  const notes: string[] = [];
  for (const rule of rules) {
    const update = await fillCasePositions(rule);
    if (update.filled.length > 0) notes.push(`${'Updated'.padEnd(9)} ${rule.definition.id}: positions of invalid ${update.filled.map((i) => `#${i}`).join(', ')} written to ${testFileOf(rule)}`);
    for (const skip of update.skipped) notes.push(`${'Skipped'.padEnd(9)} ${rule.definition.id} invalid#${skip.index}: ${skip.reason}`);
  }
  return notes;
}

export function registerRules(program: Command): void {
  const rules = program.command('rules').description('List the rule pack or run rule test cases.');
  rules
    .command('list')
    .description('list every rule with severity, category, CWE and fix')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const [{ loadRuleDefinitions }, { documentedRules }] = await Promise.all([import('../../engine/rule-definitions.js'), import('../../engine/rule-docs.js')]);
      const rows = documentedRules(await loadRuleDefinitions());
      if (flags.json) return writeStdout(`${JSON.stringify(rows, null, 2)}\n`);
      const lines = rows.map((r) => `${r.id.padEnd(36)} ${r.severity.padEnd(8)} ${r.category.padEnd(15)} ${(r.cwe ? `CWE-${r.cwe}` : '').padEnd(8)} ${r.fix ? `fix:${r.fix}` : ''}${r.optIn ? ' opt-in' : ''}`.trimEnd());
      await writeStdout(`${lines.join('\n')}\n${rows.length} rules\n`);
    });
  rules
    .command('docs')
    .description('print the rule reference as Markdown (or write it to a file)')
    .option('--write <file>', 'write to this file instead of stdout')
    .action(async (flags: { write?: string }) => {
      const [{ loadRuleDefinitions }, { renderRuleDocs }] = await Promise.all([import('../../engine/rule-definitions.js'), import('../../engine/rule-docs.js')]);
      const text = renderRuleDocs(await loadRuleDefinitions());
      if (!flags.write) return writeStdout(text);
      await writeFile(flags.write, text);
    });
  rules
    .command('test')
    .description('run the test cases beside each rule and its documented examples (built-in pack plus rules in [dir])')
    .argument('[dir]', 'extra folder of rule files')
    .option('--update-positions', 'first write `errors` (today\'s finding positions) into invalid cases that state none, replacing `count`; review them')
    .action(async (dir: string | undefined, flags: { updatePositions?: boolean }) => {
      const [{ loadRules }, { runRuleTests }] = await Promise.all([import('../../engine/rules.js'), import('../../engine/rule-tests.js')]);
      const set = await loadRules({ extraDirs: dir ? [path.resolve(dir)] : [] });
      const selected = set.rules.filter((rule) => !dir || path.resolve(rule.sourceFile).startsWith(path.resolve(dir)));
      const notes = flags.updatePositions ? await updatePositions(selected) : [];
      const results: CaseResult[] = [];
      for (const rule of selected) results.push(...(await runRuleTests(rule)));
      const counts = new Map<string, number>();
      for (const r of results) counts.set(r.outcome, (counts.get(r.outcome) ?? 0) + 1);
      // A rule file that does not load has no cases to run: it is an Error of its own.
      if (set.problems.length > 0) counts.set('Error', (counts.get('Error') ?? 0) + set.problems.length);
      const failures = results.filter((r) => r.outcome !== 'Validated');
      const lines = [
        ...notes,
        ...set.problems.map((p) => `${'Error'.padEnd(9)} ${p.message}`),
        ...failures.map((r) => `${r.outcome.padEnd(9)} ${r.ruleId} ${r.kind === 'valid' || r.kind === 'invalid' ? `${r.kind}#${r.index}` : r.kind}: ${r.detail}`),
      ];
      const summary = ['Validated', 'Noisy', 'Missing', 'Wrong', 'Error'].map((o) => `${counts.get(o) ?? 0} ${o}`).join(', ');
      await writeStdout(`${lines.join('\n')}${lines.length ? '\n' : ''}${summary}\n`);
      if (failures.length > 0 || set.problems.length > 0) process.exitCode = 1;
    });
}
