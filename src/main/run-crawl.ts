import path from 'node:path';
import { declaredFixStyle } from '../crawl/declared-style.js';
import { isAtLeast, SEVERITIES } from '../domain/severity.js';
import { buildAdapters } from '../adapters/run-adapters.js';
import { loadRules, ruleSetOf } from '../engine/rules.js';
import type { RuleSelection } from '../engine/rules.js';
import { rulesForTarget, targetEffects, templatesAboveTarget } from '../engine/target.js';
import { configuredTargetOf, detectProjectTarget, summarizeTarget } from '../crawl/project-target.js';
import { SECRET_RULE_IDS } from '../engine/secrets/scanner.js';
import { computeBaseline } from '../crawl/baseline.js';
import type { AnalysisLimits } from '../crawl/analyze-pool.js';
import type { AttributionStore } from '../attribution/ports.js';
import { crawl } from '../crawl/crawl.js';
import { loadDecisionFacts } from '../crawl/decisions.js';
import type { CrawlPhase } from '../crawl/crawl.js';
import { baseCommit, changedFilesSince } from '../git/git.js';
import type { PipelineStore } from '../crawl/ports.js';
import type { ProjectRef } from '../domain/project-ref.js';
import type { CrawlReport } from '../crawl/crawl-report.js';
import { DEFAULT_STRATEGIES } from '../fixes/strategies.js';
import { decliningTemplates } from '../fixes/decline-templates.js';
import { earlierQueuedFixes } from '../fixes/earlier-fixes.js';
import { llmSetupFor, llmSourceFromEnvironment, llmStrategyFor } from './llm.js';
import { projectStack } from '../crawl/project-stack.js';
import type { LlmSource } from './llm.js';
import { formatJson } from '../report/json.js';
import { formatSarif } from '../report/sarif.js';
import { formatTerminal } from '../report/terminal.js';
import { openEmbeddedStore } from './embedded-store.js';
import type { CrawlSettings } from './settings.js';
import { TOOL_VERSION } from '../config/version.js';

export interface CrawlRun {
  readonly report: CrawlReport;
  readonly output: string;
  /** True when --fail-on is set and an open issue of the project (changed or not) is at or above it. */
  readonly gateFailed: boolean;
}

export interface CrawlHooks {
  readonly onProgress?: (done: number, total: number) => void;
  /** Progress in words after analysis (running the project's checks and tests). */
  readonly onStatus?: (message: string) => void;
  readonly color: boolean;
  /** Service mode: the registered project, the queue job and its abort signal. */
  readonly project?: ProjectRef;
  readonly jobId?: string;
  readonly signal?: AbortSignal;
  /** Service mode: where developer attribution (git blame) is recorded. */
  readonly attribution?: AttributionStore;
  /** Awaited as the crawl enters each writing phase (fault tests pause workers there). */
  readonly onPhase?: (phase: CrawlPhase) => Promise<void>;
  /** Per-file analysis time and memory limits (the operator's, never `.roach.yml`'s); absent: the defaults. */
  readonly analysisLimits?: Partial<AnalysisLimits>;
  /** Where generated-fix settings come from; absent: the environment (ROACH_LLM_PROVIDER), before `.roach.yml`'s `llm:`. */
  readonly llm?: LlmSource;
}

/** SARIF also carries the fixes earlier crawls queued that still wait (a CI job uploads it on every run). */
async function withEarlierFixes(store: PipelineStore, root: string, report: CrawlReport, project: ProjectRef | undefined): Promise<CrawlReport> {
  const ref = project ?? (await store.ensureProject(root, path.basename(root)));
  const proposedNow = new Set(report.fixes.flatMap((fix) => (fix.fixId ? [fix.fixId] : [])));
  const earlier = await earlierQueuedFixes(store, ref, root, proposedNow);
  return earlier.length > 0 ? { ...report, fixes: [...report.fixes, ...earlier] } : report;
}

/** Composition root of `roach crawl`: rules, embedded store, strategies, pipeline, reporter. */
export async function runCrawl(settings: CrawlSettings, hooks: CrawlHooks): Promise<CrawlRun> {
  const opened = await openEmbeddedStore(settings.dataDir);
  try {
    return await crawlWithStore(opened.store, settings, hooks);
  } finally {
    await opened.close();
  }
}

/** One crawl over a store the caller owns (the embedded one, or the service's PostgreSQL). */
export async function crawlWithStore(store: PipelineStore, settings: CrawlSettings, hooks: CrawlHooks): Promise<CrawlRun> {
  // The project's ECMAScript target, found once: rules and fixes it cannot run are left out everywhere
  // the selection goes (analysis threads, baseline), and in the rule set the fix phase uses.
  const target = await detectProjectTarget(settings.root, configuredTargetOf(settings.config.target) ?? 'auto');
  const untargeted = {
    extraDirs: settings.config.rules.dirs.map((dir) => path.resolve(settings.root, dir)),
    disabled: settings.config.rules.disabled,
    enabled: settings.config.rules.enabled,
    otherToolSuppressions: settings.config.respect.inlineSuppressions,
    // what the project's EditorConfig and Prettier configuration declare, for fixes in files that show no style
    fixStyle: await declaredFixStyle(settings.root),
  };
  const selection: RuleSelection = target.edition === null ? untargeted : { ...untargeted, target: target.edition };
  const allRules = await loadRules(untargeted);
  // a fix generated by a model comes last, for what neither the rule's template nor a learned one fixes
  const { setup, note: llmNote } = llmSetupFor(hooks.llm ?? llmSourceFromEnvironment(), settings.config.llm);
  const llm = setup ? llmStrategyFor(setup, allRules.rules, store, await projectStack(settings.root), hooks.onStatus) : null;
  const strategies = llm ? [...DEFAULT_STRATEGIES, llm] : DEFAULT_STRATEGIES;
  const rules = { ...ruleSetOf(rulesForTarget(allRules.rules, selection.target), allRules.problems), fixStyle: untargeted.fixStyle };
  const secrets = { ...settings.config.secrets, disabled: settings.config.rules.disabled };
  const onlyFiles = settings.changedSince ? await changedFilesSince(settings.root, await baseCommit(settings.root, settings.changedSince)) : undefined;
  const baseline = settings.baseline
    ? await computeBaseline({
        root: settings.root,
        ref: settings.baseline,
        include: settings.config.include,
        exclude: settings.config.exclude,
        maxFileSizeBytes: settings.config.maxFileSizeBytes,
        selection,
        cacheDir: settings.dataDir,
        ruleIds: [...rules.rules.map((rule) => rule.definition.id), ...(secrets.enabled ? SECRET_RULE_IDS : [])],
        threads: settings.threads,
        secrets,
        analysisLimits: hooks.analysisLimits,
        testCode: { settings: settings.config.tests, rules },
        generated: settings.config.generated,
      })
    : undefined;
  const crawled = await crawl(store, {
    root: settings.root,
    include: settings.config.include,
    exclude: settings.config.exclude,
    maxFileSizeBytes: settings.config.maxFileSizeBytes,
    selection,
    rules,
    apply: settings.apply,
    generateFixes: settings.generateFixes,
    threshold: settings.threshold,
    checks: settings.checks,
    testBudgetMs: settings.config.validation.testBudgetMs,
    testEveryFix: settings.config.validation.testEveryFix,
    onStatus: hooks.onStatus,
    commands: settings.commands,
    strategies: decliningTemplates(strategies, templatesAboveTarget(allRules.rules, selection.target)),
    leftOut: [settings.dataDir],
    threads: settings.threads,
    onProgress: hooks.onProgress,
    project: hooks.project,
    jobId: hooks.jobId,
    signal: hooks.signal,
    onPhase: hooks.onPhase,
    attribution: hooks.attribution,
    onlyFiles,
    baseline,
    overrides: settings.config.rules.overrides,
    adapters: buildAdapters(settings.adapters, settings.root),
    shareLearning: settings.config.learning.shareAcrossProjects,
    secrets,
    analysisLimits: hooks.analysisLimits,
    testCode: settings.config.tests,
    generated: settings.config.generated,
    decisions: await loadDecisionFacts(settings.root, settings.config.respect),
    target: summarizeTarget(target, targetEffects(allRules.rules, selection.target)),
  });
  const withLlm = llm ? { ...crawled, llm: llm.stats() } : crawled;
  // the project's llm: section asked for something the operator's settings do not allow: said, not silent
  const report = llmNote ? { ...withLlm, warnings: [...(withLlm.warnings ?? []), { path: settings.configFile ?? '.roach.yml', message: llmNote }] } : withLlm;
  const output =
    settings.format === 'json' ? formatJson(report) : settings.format === 'sarif' ? formatSarif(await withEarlierFixes(store, settings.root, report, hooks.project), TOOL_VERSION) : formatTerminal(report, { color: hooks.color });
  const failOn = settings.failOn;
  // With a baseline only new issues fail the gate: existing debt does not block a pull request.
  const gated = report.baseline ? report.baseline.newIssues : report.openIssues;
  const gateFailed = failOn !== null && SEVERITIES.some((severity) => isAtLeast(severity, failOn) && gated.bySeverity[severity] > 0);
  return { report, output, gateFailed };
}
