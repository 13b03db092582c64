import { unlink } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Finding } from '../domain/finding.js';
import { fileHealthScore } from '../domain/health.js';
import { CATEGORIES, SEVERITIES } from '../domain/severity.js';
import type { Category, Severity } from '../domain/severity.js';
import { MODULE_LANGUAGES, PARSE_ERROR_RULE } from '../engine/analyze.js';
import type { RuleSelection, RuleSet } from '../engine/rules.js';
import { secretRuleById } from '../engine/secrets/scanner.js';
import type { SecretScanOptions } from '../engine/secrets/scanner.js';
import type { AnalyzerAdapter } from '../adapters/ports.js';
import { maskSecretsInFindings } from './mask-secrets.js';
import { analyzeAll } from './analyze-pool.js';
import type { AnalysisLimits } from './analyze-pool.js';
import { attributeSafely, mergeOutcomes } from '../attribution/attribution.js';
import type { AttributionStore } from '../attribution/ports.js';
import { withAdapterFindings } from './crawl-adapters.js';
import type { AnalyzeTaskFile, FileOutcome } from './analyze-file.js';
import { decideProject, respectDecisions } from './decisions.js';
import type { DecisionOptions } from './decisions.js';
import { processFixes } from '../fixes/multipass.js';
import type { AnalyzedSource } from '../fixes/process-fixes.js';
import type { CrawlReport, FixSummary, ReportedIssue, RuleMetadata } from './crawl-report.js';
import { applyQueuedFixes, recoverInterruptedFixes } from '../fixes/fix-actions.js';
import { followUpAppliedFixes } from '../learning/fix-followup.js';
import type { FixActionDeps } from '../fixes/fix-actions.js';
import type { Baseline } from './baseline.js';
import { overrideFindings } from './rule-overrides.js';
import { applyEntryPoints, loadEntryPoints } from './entry-points.js';
import { withoutMigrationUpkeep } from './migration-history.js';
import { withoutReplacedSettings } from './settings-layers.js';
import type { RuleOverride } from './rule-overrides.js';
import { loadCodeRoles, testCodePolicy } from './test-code.js';
import type { TestCodeSettings } from './test-code.js';
import type { FileState, PipelineStore } from './ports.js';
import type { ProjectRef } from '../domain/project-ref.js';
import { readProjectFile } from '../io/project-file.js';
import { decodeSource } from '../io/source-file.js';
import type { CommandPolicy } from '../io/sandbox.js';
import type { FixStrategy } from '../fixes/strategies.js';
import type { CheckSpec } from '../validation/validate-checks.js';
import { walkTree } from './walk.js';
import type { GeneratedSettings } from './generated-code.js';
import { withGrammarGaps } from './grammar-gaps.js';
import { joinModules } from '../engine/module-join.js';
import type { ModuleFacts } from '../domain/module-facts.js';
import type { TargetSummary } from './project-target.js';
import { readConfigText } from './project-target.js';
import { loadPathAliases } from './path-aliases.js';
import type { SkippedFile, WalkedFile } from './walk.js';
import { ignoreError } from '../domain/ignore-error.js';
import { maskSecretsInText } from '../engine/secrets/mask-text.js';

export interface CrawlOptions {
  readonly root: string;
  readonly include: readonly string[];
  readonly exclude: readonly string[];
  readonly maxFileSizeBytes: number;
  readonly selection: RuleSelection;
  readonly rules: RuleSet;
  readonly apply: boolean;
  /** False: detect only (no fix is generated, validated or applied). */
  readonly generateFixes: boolean;
  readonly threshold: number;
  readonly checks: readonly CheckSpec[];
  /** Time all test runs of this crawl may take together, and whether every fix is tested (see CrawlFixOptions). */
  readonly testBudgetMs?: number;
  readonly testEveryFix?: boolean;
  /** Progress in words for the phases after analysis (the checks and tests of the fix phase). */
  readonly onStatus?: (message: string) => void;
  /** Whether and how the checks (repository commands) run: on the host, in a sandbox, or not at all. */
  readonly commands: CommandPolicy;
  readonly strategies: readonly FixStrategy[];
  /** Absolute folders kept out of the walk and of validation copies (the data directory). */
  readonly leftOut: readonly string[];
  readonly threads?: number;
  readonly onProgress?: (done: number, total: number) => void;
  /** The registered project (service mode); without it the root is registered in the local organization. */
  readonly project?: ProjectRef;
  /** The queue job running this crawl: a retry closes the attempt it interrupted. */
  readonly jobId?: string;
  /** Service mode: record who introduced and who fixed issues (git blame of this crawl's files). */
  readonly attribution?: AttributionStore;
  /** Checked between phases: an aborted crawl stops before its next write. */
  readonly signal?: AbortSignal;
  /**
   * Awaited as the crawl enters a phase that writes: fault tests pause a worker here to cut its
   * connections, kill or signal it at a known point (see main/test-checkpoints.ts).
   */
  readonly onPhase?: (phase: CrawlPhase) => Promise<void>;
  /** --changed-since: only these project-relative files are crawled; every other file keeps its state. */
  readonly onlyFiles?: ReadonlySet<string>;
  /** --baseline: issues whose fingerprint existed at the baseline commit are "existing", the rest "new". */
  readonly baseline?: Baseline;
  /** `.roach.yml` rules.overrides: per-path disabled rules and severities. */
  readonly overrides?: readonly RuleOverride[];
  /** `.roach.yml` learning.shareAcrossProjects: learn from (and feed) the organization's pool; absent: left as stored. */
  readonly shareLearning?: boolean;
  /** Analyzer adapters (ESLint, oxlint, TypeScript, SARIF imports) run on the files analyzed in this crawl. */
  readonly adapters?: readonly AnalyzerAdapter[];
  /** Secrets scanning (code literals and comments, and text files); absent or disabled: none. */
  readonly secrets?: SecretScanOptions;
  /** Per-file analysis time and memory limits; absent: DEFAULT_ANALYSIS_LIMITS. */
  readonly analysisLimits?: Partial<AnalysisLimits>;
  /** `.roach.yml` tests: how test and example code is recognised; absent: the built-in conventions. */
  readonly testCode?: TestCodeSettings;
  /** `.roach.yml` generated: how generated and vendored code is recognised; absent: it is not. */
  readonly generated?: GeneratedSettings;
  /** `.roach.yml` respect: the project's ESLint configuration and conventions (see decisions.ts); absent: none. */
  readonly decisions?: DecisionOptions;
  /** The project's ECMAScript target (applied through `selection` and `rules`), for the report. */
  readonly target?: TargetSummary;
}

/** The phases of a crawl that write to the store or the project, in order. */
export type CrawlPhase = 'recording-issues' | 'writing-fixes';

const WORST_FILES = 10;

/** One whole crawl: walk -> skip unchanged -> analyze -> store -> fix -> validate -> decide -> record. */
export async function crawl(store: PipelineStore, options: CrawlOptions): Promise<CrawlReport> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const project = options.project ?? (await store.ensureProject(options.root, path.basename(options.root)));
  const deps: FixActionDeps<PipelineStore> = { store, project, root: options.root };
  if (options.shareLearning !== undefined) await store.setPatternSharing(project, options.shareLearning);
  await recoverInterruptedFixes(deps);
  const crawlId = await store.startCrawl(project, {
    apply: options.apply,
    threshold: options.threshold,
    checks: options.checks.map((c) => c.name),
    ...(options.jobId ? { jobId: options.jobId } : {}),
  });
  const checkpoint = (): void => options.signal?.throwIfAborted();
  const enter = async (phase: CrawlPhase): Promise<void> => {
    checkpoint();
    await options.onPhase?.(phase);
    checkpoint();
  };
  try {
    const walked = await walkTree({ ...options, skipDirs: options.leftOut, textFiles: options.secrets?.enabled === true });
    // Only a Code Roach process holding this data directory's lock writes these, and this one does.
    await Promise.all(walked.leftoverTempFiles.map((file) => unlink(file).catch(ignoreError('already gone, or removed by the next crawl'))));
    const previous = await store.fileStates(project);
    const inScope = (file: string): boolean => !options.onlyFiles || options.onlyFiles.has(file);
    const walkedFiles = options.onlyFiles ? walked.files.filter((file) => inScope(file.path)) : walked.files;
    const entryPoints = await loadEntryPoints(options.root);
    const roles = await loadCodeRoles(options.root, walked.files, options.testCode, entryPoints);
    const inTests = testCodePolicy(roles, options.rules);
    const { tasks, unchangedByStat } = planAnalysis(walkedFiles, previous);
    const outcomes = await analyzeAll({
      selection: options.selection, root: options.root, files: tasks, threads: options.threads, onProgress: options.onProgress, secrets: options.secrets, limits: options.analysisLimits,
    });

    const skipped: SkippedFile[] = [...walked.skipped];
    const findings: Finding[] = [];
    const analyzedPaths: string[] = [];
    const states: FileState[] = [];
    const walkedByPath = new Map(walkedFiles.map((file) => [file.path, file]));
    let unchanged = unchangedByStat;
    let analyzed = 0;
    const allOutcomes: FileOutcome[] = [];
    const absorb = (batch: readonly FileOutcome[]): void => {
      allOutcomes.push(...batch);
      for (const outcome of batch) {
        const file = walkedByPath.get(outcome.path);
        if (!file) continue;
        if (outcome.status === 'skipped') {
          skipped.push({ path: outcome.path, reason: outcome.reason, detail: outcome.detail });
          analyzedPaths.push(outcome.path);
          continue;
        }
        const before = previous.get(file.path);
        const counts = outcome.status === 'analyzed' ? outcome.conventionCounts : before?.conventionCounts;
        const facts = outcome.status === 'analyzed' ? outcome.moduleFacts : before?.moduleFacts;
        states.push({
          path: file.path, sizeBytes: file.sizeBytes, mtimeMs: file.mtimeMs, sha256: outcome.sha256, language: file.language,
          ...(counts ? { conventionCounts: counts } : {}), ...(facts ? { moduleFacts: facts } : {}),
        });
        if (outcome.status === 'unchanged') {
          unchanged++;
          continue;
        }
        analyzed++;
        analyzedPaths.push(outcome.path);
        findings.push(...fileFindings(outcome.findings));
      }
    };
    const fileFindings = (found: readonly Finding[]): Finding[] => overrideFindings(withoutMigrationUpkeep(applyEntryPoints(inTests(found), entryPoints)), options.overrides ?? []);
    /** Analyzes unchanged files again (their stored issues must follow a project-wide change). */
    const again = async (files: readonly WalkedFile[]): Promise<void> => {
      if (files.length === 0) return;
      const paths = new Set(files.map((file) => file.path));
      unchanged -= files.length;
      states.splice(0, states.length, ...states.filter((state) => !paths.has(state.path)));
      absorb(await analyzeAll({ selection: options.selection, root: options.root, files: planAnalysis(files, new Map()).tasks, threads: options.threads, onProgress: options.onProgress, secrets: options.secrets, limits: options.analysisLimits }));
    };
    absorb(outcomes);
    // The project's decisions need every file's convention counts: this crawl's, else the stored ones. Files whose
    // findings were filtered under other decisions are analyzed again, so stored issues follow the decisions.
    const stateByPath = new Map(states.map((state) => [state.path, state]));
    const decisions = decideProject(options.decisions, options.rules, walkedFiles.flatMap((file) => [(stateByPath.get(file.path) ?? previous.get(file.path))?.conventionCounts ?? {}]));
    const done = new Set(analyzedPaths);
    await again(walkedFiles.filter((file) => !done.has(file.path) && previous.has(file.path) && (previous.get(file.path)?.decisions ?? '') !== decisions.key));
    const modules = await joinAcrossModules(options.root, walked.files, states, previous, new Set(analyzedPaths), walkedFiles, again);
    for (const file of analyzedPaths) findings.push(...fileFindings(modules.findings.get(file) ?? []));
    // Parse errors the language's own parser contradicts are grammar gaps, not findings.
    const grammar = await withGrammarGaps(options.root, allOutcomes, findings);
    findings.splice(0, findings.length, ...grammar.findings);
    findings.splice(0, findings.length, ...(await withoutReplacedSettings(options.root, findings, walkedFiles.map((file) => file.path))));
    findings.splice(0, findings.length, ...respectDecisions(findings, decisions));
    states.splice(0, states.length, ...states.map((state) => withModuleFlows({ ...state, decisions: decisions.key }, modules.keys.get(state.path))));
    const removed = [...previous.keys()].filter((file) => !walkedByPath.has(file) && inScope(file));
    const adapted = await withAdapterFindings({ adapters: options.adapters, root: options.root, walked: walkedByPath, analyzedPaths, skipped, findings, overrides: options.overrides ?? [], adjust: (found) => withoutMigrationUpkeep(inTests(found)), previousIssues: () => store.openIssues(project) });
    // From here on the crawl's findings are the AST engine's and the adapters', duplicates merged.
    findings.splice(0, findings.length, ...adapted.findings);
    // Adapters quote the lines they flag: secrets are masked there too before anything is stored.
    if (options.secrets?.enabled) findings.splice(0, findings.length, ...(await maskSecretsInFindings(options.root, findings)));

    await enter('recording-issues');
    const issueIds = await store.upsertIssues(project, crawlId, [...findings, ...adapted.keptOpen]);
    const resolved = await store.resolveMissingIssues(project, crawlId, [...analyzedPaths, ...removed]);
    await store.recordPatternOccurrences(project, findings);
    // Blamed before any fix is applied, so the flagged lines are still the ones the authors wrote.
    const attributed = options.attribution ? await attributeSafely(options.attribution, project, options.root, [...analyzedPaths, ...removed]) : null;
    // Applied fixes whose files changed since: reverted or re-edited ones count against their pattern.
    await followUpAppliedFixes(deps, analyzedPaths);
    // Pending fixes made against older contents of a changed file can never apply: they make way.
    const analyzedSet = new Set(analyzedPaths);
    await store.supersedePendingFixes(project, states.filter((s) => analyzedSet.has(s.path)).map((s) => ({ path: s.path, sha256: s.sha256 })));

    await enter('writing-fixes');
    const fixResult = options.generateFixes ? await generateFixes(deps, crawlId, findings, walkedByPath, issueIds, options) : { summaries: [], declined: 0, checkRuns: 0 };
    checkpoint();
    const appliedFromQueue = options.apply && options.generateFixes ? await applyQueuedFixes(deps, options.threshold) : [];
    if (options.attribution && attributed) {
      // Fixes Code Roach applied just now are credited in this crawl too (no git needed for those).
      const late = attributed.available ? await attributeSafely(options.attribution, project, options.root, []) : attributed;
      await store.recordAnalytics(project, crawlId, 'attribution', mergeOutcomes(attributed, late));
    }
    // File states are saved last: a crawl interrupted before this point re-analyzes these files
    // next time, so no finding is left without its chance of a fix.
    await store.saveFileStates(project, crawlId, states);
    await store.forgetFiles(project, removed);

    const counts = await store.openIssueCounts(project);
    const health = [...counts].map(([file, bySeverity]) => ({
      filePath: file,
      healthScore: fileHealthScore(bySeverity),
      issueCount: Object.values(bySeverity).reduce((a, b) => a + b, 0),
    }));
    // Files analyzed in this crawl with no open issue are recorded too (at 100), so trends see them recover.
    const clean = states.filter((s) => analyzedSet.has(s.path) && !counts.has(s.path)).map((s) => ({ filePath: s.path, healthScore: fileHealthScore({}), issueCount: 0 }));
    await store.recordFileHealth(project, crawlId, [...health, ...clean]);
    const baseline = options.baseline;
    const open = respectDecisions(await store.openIssues(project), decisions).map((issue) => ({
      ...issue,
      fixable: options.rules.byId(issue.ruleId)?.definition.fix !== undefined,
      ...(roles.has(issue.file) ? { codeRole: roles.get(issue.file) } : {}),
      ...(baseline ? { baselineState: baseline.fingerprints.has(issue.fingerprint) ? ('existing' as const) : ('new' as const) } : {}),
    }));
    const openIssues = totals(open);
    const report: CrawlReport = {
      crawlId,
      root: options.root,
      startedAt,
      durationMs: Math.round(performance.now() - started),
      files: { walked: walkedFiles.length, analyzed, unchanged, skipped, removed: removed.length },
      findings: open,
      ...(baseline ? { baseline: { ref: baseline.ref, commit: baseline.commit, newIssues: totals(open.filter((issue) => issue.baselineState === 'new')) } } : {}),
      newlyAnalyzedFindings: findings.length,
      openIssues,
      resolvedIssues: resolved,
      fixes: [...fixResult.summaries, ...appliedFromQueue],
      fixesDeclined: fixResult.declined,
      worstFiles: health
        .sort((a, b) => a.healthScore - b.healthScore || a.filePath.localeCompare(b.filePath))
        .slice(0, WORST_FILES)
        .map((h) => ({ file: h.filePath, healthScore: h.healthScore, issueCount: h.issueCount })),
      rules: ruleMetadata(options.rules, open),
      ...(adapted.statuses.length > 0 ? { adapters: adapted.statuses } : {}),
      ...(options.checks.length > 0 ? { validationCommands: commandsSummary(options) } : {}),
      ...(walked.warnings.length > 0 ? { warnings: walked.warnings } : {}),
      ...(options.rules.problems.length > 0 ? { ruleProblems: options.rules.problems } : {}),
      ...(grammar.gaps.length > 0 ? { grammarGaps: grammar.gaps } : {}),
      ...(decisions.eslintConfig || decisions.conventions.length > 0 ? { decisions: { eslintConfig: decisions.eslintConfig, conventions: decisions.conventions } } : {}),
      ...(options.target ? { target: options.target } : {}),
    };
    await store.recordAnalytics(project, crawlId, 'crawl_summary', analyticsOf(report, fixResult.summaries, fixResult.checkRuns));
    await store.finishCrawl(project, crawlId, { files: { ...report.files, skipped: skipped.length }, openIssues: openIssues.total, resolved, durationMs: report.durationMs });
    return report;
  } catch (error) {
    await store.failCrawl(project, crawlId, maskSecretsInText((error as Error).message)).catch(ignoreError("the crawl's own error is thrown; a store that cannot record it would fail that report too"));
    throw error;
  }
}

async function generateFixes(
  deps: FixActionDeps<PipelineStore>,
  crawlId: string,
  findings: readonly Finding[],
  walked: ReadonlyMap<string, WalkedFile>,
  issueIds: ReadonlyMap<string, string>,
  options: CrawlOptions,
): Promise<Awaited<ReturnType<typeof processFixes>>> {
  const sources = await loadSources(options.root, findings, walked);
  const patterns = await deps.store.patternStats(deps.project, [...new Set(findings.map((f) => f.patternFingerprint))]);
  return processFixes(deps, {
    crawlId,
    sources,
    issueIds,
    patterns,
    skipIssues: await deps.store.issuesHavingFixes(deps.project),
    options: {
      apply: options.apply,
      threshold: options.threshold,
      checks: options.checks,
      commands: options.commands,
      strategies: options.strategies,
      rules: options.rules,
      leftOut: options.leftOut,
      testBudgetMs: options.testBudgetMs,
      testEveryFix: options.testEveryFix,
      onStatus: options.onStatus,
      calibration: await deps.store.calibration(deps.project),
    },
  });
}

/**
 * Joins the modules' facts (this crawl's, else stored) into flows across files (see engine/module-join.ts),
 * resolving TypeScript path aliases with the project's tsconfig files. An
 * unchanged file whose joined flows differ from those its issues were stored with is analyzed again, so
 * its issues are recorded anew (and flows that are gone resolve).
 */
async function joinAcrossModules(
  root: string,
  all: readonly WalkedFile[],
  states: readonly FileState[],
  previous: ReadonlyMap<string, FileState>,
  analyzed: ReadonlySet<string>,
  inScope: readonly WalkedFile[],
  again: (files: readonly WalkedFile[]) => Promise<void>,
): Promise<ReturnType<typeof joinModules>> {
  // Files stored before modules kept their facts are read once more.
  const done = new Set(analyzed);
  const missing = inScope.filter((file) => MODULE_LANGUAGES.has(file.language) && !done.has(file.path) && previous.has(file.path) && !previous.get(file.path)?.moduleFacts);
  await again(missing);
  for (const file of missing) done.add(file.path);
  const now = new Map(states.map((state) => [state.path, state]));
  const facts = new Map<string, ModuleFacts>();
  for (const file of all) {
    const own = (now.get(file.path) ?? previous.get(file.path))?.moduleFacts;
    if (own) facts.set(file.path, own);
  }
  // Read every crawl, so a change of the project's path aliases joins anew like a change of a module.
  const aliased = [...facts].filter(([, own]) => own.calls.some((call) => !call.specifier.startsWith('.'))).map(([file]) => file);
  const aliases = aliased.length === 0 ? undefined : await loadPathAliases(root, aliased, readConfigText);
  const joined = joinModules(facts, new Set(all.map((file) => file.path)), aliases);
  await again(inScope.filter((file) => !done.has(file.path) && previous.has(file.path) && previous.get(file.path)?.moduleFlows !== joined.keys.get(file.path)));
  return joined;
}

function withModuleFlows(state: FileState, key: string | undefined): FileState {
  if (key !== undefined) return { ...state, moduleFlows: key };
  const { moduleFlows: _gone, ...rest } = state;
  return rest;
}

/** Size+mtime pre-check: files that match the last crawl on both are not even read. */
function planAnalysis(files: readonly WalkedFile[], previous: ReadonlyMap<string, FileState>): { tasks: AnalyzeTaskFile[]; unchangedByStat: number } {
  const tasks: AnalyzeTaskFile[] = [];
  let unchangedByStat = 0;
  for (const file of files) {
    const before = previous.get(file.path);
    if (before && before.sizeBytes === file.sizeBytes && before.mtimeMs === file.mtimeMs) {
      unchangedByStat++;
      continue;
    }
    const check = file.generatedCheck ? { generatedCheck: true } : {};
    tasks.push({ path: file.path, absolutePath: file.absolutePath, language: file.language, previousSha256: before?.sha256 ?? null, sizeBytes: file.sizeBytes, ...check });
  }
  return { tasks, unchangedByStat };
}

/** Re-reads the files that have findings, for fix generation (workers do not send text back). */
async function loadSources(root: string, findings: readonly Finding[], walked: ReadonlyMap<string, WalkedFile>): Promise<Map<string, AnalyzedSource>> {
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  const sources = new Map<string, AnalyzedSource>();
  for (const [file, fileFindings] of byFile) {
    const info = walked.get(file);
    if (!info || info.language === 'text' || fileFindings.every((f) => f.ruleId === PARSE_ERROR_RULE)) continue;
    // No fix for a file holding a secret: a fix stores the file's bytes and a diff around the secret.
    if (fileFindings.some((f) => secretRuleById(f.ruleId))) continue;
    const bytes = await readProjectFile(root, path.join(root, file)).catch(() => null);
    if (!bytes) continue;
    const decoded = decodeSource(bytes);
    if (!decoded.ok) continue;
    sources.set(file, { text: decoded.text, info: decoded.info, language: info.language, bytes: new Uint8Array(bytes), findings: fileFindings });
  }
  return sources;
}

function totals(open: readonly ReportedIssue[]): CrawlReport['openIssues'] {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  for (const issue of open) {
    bySeverity[issue.severity]++;
    byCategory[issue.category]++;
  }
  return { total: open.length, bySeverity, byCategory };
}

function ruleMetadata(rules: RuleSet, findings: readonly { ruleId: string }[]): RuleMetadata[] {
  const ids = [...new Set(findings.map((f) => f.ruleId))].sort();
  return ids.flatMap((id) => {
    const rule = rules.byId(id)?.definition;
    const secret = rule ? undefined : secretRuleById(id);
    if (secret) return [{ id, severity: secret.severity, category: 'security' as const, cwe: 798, message: secret.message, rationale: secret.doc.rationale, hasFix: false }];
    if (!rule) return [];
    return [{ id, severity: rule.severity, category: rule.category, cwe: rule.cwe ?? null, message: rule.message, rationale: rule.doc.rationale, hasFix: rule.fix !== undefined }];
  });
}

function commandsSummary(options: CrawlOptions): NonNullable<CrawlReport['validationCommands']> {
  const names = options.checks.map((c) => c.name);
  const policy = options.commands;
  return policy.mode === 'skip' ? { names, mode: 'skipped', reason: policy.reason } : { names, mode: policy.mode, reason: null };
}

function analyticsOf(report: CrawlReport, fixes: readonly FixSummary[], checkRuns: number): Record<string, unknown> {
  const byDecision: Record<string, number> = {};
  for (const fix of fixes) byDecision[fix.decision] = (byDecision[fix.decision] ?? 0) + 1;
  return {
    files: { walked: report.files.walked, analyzed: report.files.analyzed, unchanged: report.files.unchanged, skipped: report.files.skipped.length },
    findings: report.newlyAnalyzedFindings,
    openIssues: report.openIssues,
    resolved: report.resolvedIssues,
    fixes: byDecision,
    fixesDeclined: report.fixesDeclined,
    checkRuns,
    durationMs: report.durationMs,
  };
}
