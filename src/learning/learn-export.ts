import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { RoachError } from '../domain/errors.js';
import { LANGUAGES } from '../domain/finding.js';
import type { Language } from '../domain/finding.js';
import { learnedRuleFile, ruleYaml } from '../engine/learn/export-rule.js';
import { runRuleTests } from '../engine/rule-tests.js';
import { loadRuleFile } from '../engine/rules.js';
import type { RuleSet } from '../engine/rules.js';
import type { StoredLearnedTemplate } from '../fixes/ports.js';

export interface ExportResult {
  readonly written: readonly string[];
  /** Templates not exported, each with the reason (its generated cases did not pass). */
  readonly skipped: readonly { readonly ruleId: string; readonly pattern: string; readonly reason: string }[];
}

function isLanguage(value: string): value is Language {
  return (LANGUAGES as readonly string[]).includes(value);
}

/**
 * Writes each learned template as `<dir>/<name>.yml` with `<name>.test.yml` beside it, then runs those
 * tests the way `roach rules test` does; a template whose file does not load or whose cases do not
 * pass is removed again and reported, so the folder only ever holds rules that pass their own tests.
 */
export async function exportLearnedRules(dir: string, templates: readonly StoredLearnedTemplate[], rules: RuleSet): Promise<ExportResult> {
  await mkdir(dir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    const code = error.code === 'EEXIST' || error.code === 'ENOTDIR' ? 'CR_ERR_NOT_A_DIRECTORY' : 'CR_ERR_PATH_UNREADABLE';
    throw new RoachError(code, `Cannot export learned rules to ${dir}: ${error.message}`, { dir });
  });
  const written: string[] = [];
  const skipped: { ruleId: string; pattern: string; reason: string }[] = [];
  for (const template of templates) {
    const source = rules.rules.find((rule) => rule.definition.id === template.ruleId)?.definition;
    if (!source || !isLanguage(template.language)) {
      skipped.push({ ruleId: template.ruleId, pattern: template.pattern, reason: `rule ${template.ruleId} is not loaded` });
      continue;
    }
    const exported = learnedRuleFile({ ...template, language: template.language }, source);
    const text = ruleYaml(exported);
    const file = path.join(dir, `${exported.name}.yml`);
    await writeFile(file, text.rule);
    await writeFile(path.join(dir, `${exported.name}.test.yml`), text.tests);
    let failure: string | null;
    try {
      const results = await runRuleTests(await loadRuleFile(file, dir));
      const bad = results.find((result) => result.outcome !== 'Validated');
      failure = bad ? `${bad.outcome}: ${bad.detail.split('\n')[0]}` : null;
    } catch (error) {
      failure = (error as Error).message;
    }
    if (failure === null) {
      written.push(file);
      continue;
    }
    await rm(file, { force: true });
    await rm(path.join(dir, `${exported.name}.test.yml`), { force: true });
    skipped.push({ ruleId: template.ruleId, pattern: template.pattern, reason: failure });
  }
  return { written, skipped };
}
