import ignore from 'ignore';
import type { Ignore } from 'ignore';
import { applyRolePolicy, CODE_ROLES, defaultInTests, roleOfPath } from '../domain/code-role.js';
import type { CodeRole, InTestsPolicy } from '../domain/code-role.js';
import type { FileLanguage, Finding } from '../domain/finding.js';
import { ignoreError } from '../domain/ignore-error.js';
import { canonicalRule } from '../domain/rule-names.js';
import type { RuleSet } from '../engine/rules.js';
import { secretRuleById } from '../engine/secrets/scanner.js';
import { looksLikeTestCode } from '../engine/test-framework.js';
import { readProjectFile } from '../io/project-file.js';
import { developerScripts, loadEntryPoints } from './entry-points.js';
import type { EntryPoints } from './entry-points.js';
import { healthCheckScripts } from './health-checks.js';
import { decodeSource } from '../io/source-file.js';

/** `.roach.yml` `tests:`: how test, fixture, example and benchmark code is recognised and treated. */
export interface TestCodeSettings {
  /** `apply`: rules' `inTests` policies apply there; `ignore`: such code is treated as production code. */
  readonly policy: 'apply' | 'ignore';
  /** Gitignore-style patterns added to the built-in conventions, per role. */
  readonly paths: Readonly<Record<CodeRole, readonly string[]>>;
  /** Gitignore-style patterns of files that are production code whatever their path or name says. */
  readonly production: readonly string[];
}

export const DEFAULT_TEST_CODE_SETTINGS: TestCodeSettings = Object.freeze({
  policy: 'apply',
  paths: Object.freeze({ test: [], fixture: [], example: [], benchmark: [], script: [] }),
  production: [],
});

/** The project's non-production files by role; files not in it are production code. */
export type CodeRoles = ReadonlyMap<string, CodeRole>;

interface RoleFile {
  readonly path: string;
  readonly absolutePath: string;
  readonly language: FileLanguage;
}

async function testByContent(root: string, file: RoleFile): Promise<boolean> {
  if (file.language === 'text') return false;
  const bytes = await readProjectFile(root, file.absolutePath).catch(ignoreError('an unreadable file is reported by the analysis; here it is just not a test'));
  if (!bytes) return false;
  const decoded = decodeSource(bytes);
  return decoded.ok && looksLikeTestCode(decoded.text, file.language);
}

/**
 * The role of every walked file, read once per crawl: `.roach.yml`'s production patterns first (never test
 * code), then its per-role patterns, then the conventions of domain/code-role.ts; a file whose name only
 * suggests a test (`test.js`, `server-test.js`) is a test when its imports or calls say so; of the rest, what
 * package.json's `scripts` run or a `scripts/` folder holds is a developer script, and so is what a
 * Dockerfile's HEALTHCHECK runs (an operations probe of the container's own service). `entryPoints`: the
 * crawl's own read of the package.json files, when it has one (read here otherwise).
 */
export async function loadCodeRoles(
  root: string,
  files: readonly RoleFile[],
  settings: TestCodeSettings = DEFAULT_TEST_CODE_SETTINGS,
  entryPoints?: EntryPoints,
): Promise<CodeRoles> {
  const roles = new Map<string, CodeRole>();
  if (settings.policy === 'ignore') return roles;
  const production = ignore().add([...settings.production]);
  const configured: [CodeRole, Ignore][] = CODE_ROLES.filter((role) => settings.paths[role].length > 0).map((role) => [role, ignore().add([...settings.paths[role]])]);
  for (const file of files) {
    if (production.ignores(file.path)) continue;
    const own = configured.find(([, patterns]) => patterns.ignores(file.path))?.[0];
    const verdict = own ?? roleOfPath(file.path);
    if (verdict === 'maybe-test') {
      if (await testByContent(root, file)) roles.set(file.path, 'test');
    } else if (verdict) {
      roles.set(file.path, verdict);
    }
  }
  // The project's own tooling (release, build and maintenance scripts), by what its package.json runs.
  const tooling = [...(await developerScripts(root, files, entryPoints ?? (await loadEntryPoints(root)))), ...(await healthCheckScripts(root, files.map((f) => f.path)))];
  for (const file of tooling) {
    if (!roles.has(file) && !production.ignores(file)) roles.set(file, 'script');
  }
  return roles;
}

/** A finding's policy in non-production code: its rule's `inTests`, the secrets catalogue's, or the category default. */
export type InTestsLookup = (finding: Finding) => InTestsPolicy;

/**
 * Policies by rule: built-in and custom rules declare `inTests` in their YAML, secrets rules in their
 * catalogue; an analyzer adapter's finding (`eslint/no-eval`) takes the policy of the built-in rule that
 * checks the same thing, else the default of its category.
 */
export function inTestsLookup(rules: RuleSet): InTestsLookup {
  const byCanonical = new Map<string, InTestsPolicy>();
  for (const rule of rules.rules) {
    const canonical = canonicalRule(rule.definition.id);
    if (canonical && rule.definition.inTests) byCanonical.set(canonical, rule.definition.inTests);
  }
  return (finding) => {
    const rule = rules.byId(finding.ruleId)?.definition;
    if (rule) return rule.inTests ?? defaultInTests(rule.category);
    const secret = secretRuleById(finding.ruleId);
    if (secret) return secret.inTests;
    const canonical = canonicalRule(finding.ruleId);
    return (canonical ? byCanonical.get(canonical) : undefined) ?? defaultInTests(finding.category);
  };
}

/**
 * Applies each rule's `inTests` policy to the findings in test, fixture, example and benchmark code (see
 * applyRolePolicy); production findings pass unchanged. Pure and idempotent. Runs before `.roach.yml`'s
 * rule overrides, so a severity the project sets for a path wins over the policy.
 */
export function applyTestCodePolicy(findings: readonly Finding[], roles: CodeRoles, policyOf: InTestsLookup): Finding[] {
  if (roles.size === 0) return [...findings];
  const out: Finding[] = [];
  for (const finding of findings) {
    const role = roles.get(finding.file);
    const adjusted = role ? applyRolePolicy(finding, role, policyOf(finding)) : finding;
    if (adjusted) out.push(adjusted);
  }
  return out;
}

/** The policy for one crawl's findings: its roles and its rules' lookups, built once. */
export function testCodePolicy(roles: CodeRoles, rules: RuleSet): (findings: readonly Finding[]) => Finding[] {
  const policyOf = inTestsLookup(rules);
  return (findings) => applyTestCodePolicy(findings, roles, policyOf);
}
