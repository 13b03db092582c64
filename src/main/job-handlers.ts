import { RoachError } from '../domain/errors.js';
import { serviceLlmSource } from './service-llm.js';
import { checkGitRemote, updateClone } from '../git/remote.js';
import { deliverNotification } from '../integrations/notify/deliver.js';
import type { NotificationChannel } from '../integrations/notify/deliver.js';
import type { OutboundPolicy } from '../integrations/net/ssrf-guard.js';
import { approveFix, recoverInterruptedFixes, rejectFix, rollbackFix } from '../fixes/fix-actions.js';
import type { AttributionStore } from '../attribution/ports.js';
import type { CrawlPhase } from '../crawl/crawl.js';
import type { FixActionDeps } from '../fixes/fix-actions.js';
import type { FixStatus } from '../fixes/ports.js';
import type { PipelineStore } from '../crawl/ports.js';
import { findSandbox } from '../io/sandbox.js';
import type { CommandPolicy } from '../io/sandbox.js';
import type { JobPayload } from '../queue/catalogue.js';
import type { JobContext, JobHandlers } from '../queue/ports.js';
import { projectRef } from '../store/repositories/tenancy.js';
import type { Project } from '../store/repositories/tenancy.js';
import type { TenantStore } from '../store/tenant-store.js';
import type { AnalysisLimits } from '../crawl/analyze-pool.js';
import { crawlWithStore } from './run-crawl.js';
import { learnAfterDecision } from './run-learn.js';
import { resolveCrawlSettings } from './settings.js';
import type { TestCheckpoints } from './test-checkpoints.js';
import { ignoreError } from '../domain/ignore-error.js';

export interface JobHandlerDeps {
  readonly pipeline: PipelineStore;
  readonly tenants: TenantStore;
  readonly webhookSecret: string | null;
  /** Private destinations notifications may reach (ROACH_OUTBOUND_ALLOW); default: public addresses only. */
  readonly outbound?: OutboundPolicy;
  /** ROACH_GIT_ALLOW_FILE: projects cloned from file:// remotes may be fetched. */
  readonly gitAllowFile?: boolean;
  /** Records who introduced and fixed issues during crawl jobs (developer stats). */
  readonly attribution?: AttributionStore;
  /** Analysis threads per crawl job (default: one per core). */
  readonly threads?: number;
  /** TEST ONLY: fault tests pause crawl jobs at their writing phases (ROACH_TEST_CHECKPOINT_DIR). */
  readonly checkpoints?: TestCheckpoints;
  /** Where repository commands are isolated (default: bubblewrap from the system); tests replace it. */
  readonly findSandbox?: typeof findSandbox;
  /** Per-file analysis time and memory limits (ROACH_ANALYSIS_*); absent: the defaults. */
  readonly analysisLimits?: Partial<AnalysisLimits>;
}

const PROGRESS_INTERVAL_MS = 500;

async function projectOf(deps: JobHandlerDeps, organizationId: string, projectId: string): Promise<Project> {
  const project = await deps.tenants.findProject(organizationId, projectId);
  if (!project) throw new RoachError('CR_ERR_NOT_FOUND', `No project ${projectId} in organization ${organizationId}.`, { projectId });
  return project;
}

/**
 * Whether a crawl job may run the repository's own commands: only when an organization admin
 * enabled them for the project, and then only inside the sandbox. Otherwise they are skipped and
 * the reason is reported (a crawl without its checks is still worth having).
 */
async function serviceCommands(deps: JobHandlerDeps, project: Project): Promise<CommandPolicy> {
  const settings = await deps.tenants.projectSettings(project.organizationId, project.id);
  if (!settings?.repositoryCommands) {
    return {
      mode: 'skip',
      reason: `repository commands are disabled for project ${project.name} in service mode; an organization admin can enable them (they then run sandboxed): PUT /api/code-roach/organizations/${project.organizationId}/projects/${project.id}/settings {"repositoryCommands": true}`,
    };
  }
  const found = await (deps.findSandbox ?? findSandbox)();
  if (found.ok) return { mode: 'sandbox', sandbox: found.sandbox };
  const refused = new RoachError('CR_ERR_SANDBOX_UNAVAILABLE', `repository commands are enabled for project ${project.name} but refused: no sandbox on this worker: ${found.reason}.`);
  return { mode: 'skip', reason: `${refused.code}: ${refused.message}` };
}

async function crawlJob(
  deps: JobHandlerDeps,
  payload: { organizationId: string; projectId: string; apply: boolean; generateFixes: boolean; threshold?: number },
  context: JobContext,
): Promise<Record<string, unknown>> {
  const project = await projectOf(deps, payload.organizationId, payload.projectId);
  // A project cloned from a git URL is brought up to date with its remote first (re-checked: DNS may have moved).
  if (project.gitUrl) {
    const policy = { allowFile: deps.gitAllowFile ?? false, outbound: deps.outbound ?? { allow: [] } };
    await updateClone(project.rootPath, project.gitRef ?? null, policy, await checkGitRemote(project.gitUrl, policy));
  }
  const settings = await resolveCrawlSettings(project.rootPath, {
    apply: payload.apply,
    fix: payload.generateFixes,
    ...(payload.threshold !== undefined ? { threshold: String(payload.threshold) } : {}),
    ...(deps.threads ? { threads: String(deps.threads) } : {}),
    progress: false,
    // Repositories crawled by the service may come from anyone: analyzer adapters run none of their own code,
    // and their commands run only when enabled for the project, sandboxed.
    trustProjectCode: false,
    commands: await serviceCommands(deps, project),
  });
  let reported = 0;
  const checkpoints = deps.checkpoints;
  const run = await crawlWithStore(deps.pipeline, settings, {
    color: false,
    project: projectRef(project),
    jobId: context.jobId,
    signal: context.signal,
    attribution: deps.attribution,
    ...(checkpoints ? { onPhase: (phase: CrawlPhase) => checkpoints.reach(phase, context.jobId, context.attempt) } : {}),
    analysisLimits: deps.analysisLimits,
    // an analysis job makes no fixes: the organization's key is not opened for it
    llm: payload.generateFixes ? await serviceLlmSource(deps.tenants, project.organizationId, deps.outbound ?? { allow: [] }) : { operator: null, projectMayNameProvider: false },
    onProgress: (done, total) => {
      if (done < total && Date.now() - reported < PROGRESS_INTERVAL_MS) return;
      reported = Date.now();
      void context.progress({ phase: 'analyze', done, total }).catch(ignoreError('progress is advisory: a lost update must not fail the crawl, and the next one replaces it'));
    },
  });
  const { report } = run;
  const decisions: Record<string, number> = {};
  for (const fix of report.fixes) decisions[fix.decision] = (decisions[fix.decision] ?? 0) + 1;
  return {
    crawlId: report.crawlId,
    durationMs: report.durationMs,
    files: { ...report.files, skipped: report.files.skipped.length },
    openIssues: report.openIssues,
    resolvedIssues: report.resolvedIssues,
    fixes: decisions,
    validationCommands: report.validationCommands ?? null,
    llm: report.llm ?? null,
  };
}

const DONE_STATUS: Record<JobPayload<'fix-application'>['action'], FixStatus> = { apply: 'applied', reject: 'rejected', rollback: 'rolled_back' };

/**
 * Applies, rejects or rolls back one fix. Idempotent: a retried job whose fix already reached the
 * action's end state returns without writing, so a fix is never applied twice.
 */
async function fixJob(deps: JobHandlerDeps, payload: JobPayload<'fix-application'>): Promise<Record<string, unknown>> {
  const project = await projectOf(deps, payload.organizationId, payload.projectId);
  const actionDeps: FixActionDeps<PipelineStore> = { store: deps.pipeline, project: projectRef(project), root: project.rootPath };
  // An earlier attempt killed mid-write leaves its fix 'applying': settle it from the file's bytes first.
  await recoverInterruptedFixes(actionDeps);
  const fix = await deps.pipeline.getFix(actionDeps.project, payload.fixId);
  if (!fix) throw new RoachError('CR_ERR_FIX_NOT_FOUND', `No fix ${payload.fixId} in project ${project.name}.`, { fixId: payload.fixId });
  if (fix.status === DONE_STATUS[payload.action]) return { fixId: fix.id, status: fix.status, alreadyDone: true };
  const audit = (outcome: 'success' | 'failure', details: Record<string, unknown>) =>
    deps.tenants.recordAudit({
      organizationId: payload.organizationId,
      actor: payload.actor,
      action: `fix.${payload.action}`,
      target: JSON.stringify({ projectId: payload.projectId, fixId: fix.id, files: fix.filePaths }),
      outcome,
      statusCode: null,
      requestId: null,
      ip: null,
      details,
    });
  try {
    const after =
      payload.action === 'apply'
        ? await approveFix(actionDeps, fix.id, payload.actor)
        : payload.action === 'reject'
          ? await rejectFix(actionDeps, fix.id, payload.actor, payload.reason ?? null)
          : await rollbackFix(actionDeps, fix.id, payload.actor);
    // Review decisions teach the learned templates; a learning failure does not fail the decided job.
    const learning = await learnAfterDecision(actionDeps, after);
    const learned = learning instanceof Error ? { learningError: learning.message } : { templatesPromoted: learning.promoted.length };
    await audit('success', { status: after.status, ...learned });
    return { fixId: after.id, status: after.status, alreadyDone: false };
  } catch (error) {
    await audit('failure', { error: (error as Error).message }).catch(ignoreError('the job fails with its own error, which the queue records; that error matters more than the audit write'));
    throw error;
  }
}

async function notifyJob(deps: JobHandlerDeps, payload: JobPayload<'notifications'>): Promise<Record<string, unknown>> {
  const ids = payload.channels.flatMap((c) => ('channelId' in c ? [c.channelId] : []));
  // Stored channels are opened only now, in the worker: their URLs and secrets never sit in the queue.
  const stored = ids.length > 0 ? await deps.tenants.channelTargets(payload.organizationId, ids) : [];
  const targets: NotificationChannel[] = [...payload.channels.flatMap((c) => ('url' in c ? [c] : [])), ...stored];
  for (const channel of targets) {
    await deliverNotification(channel, payload, { webhookSecret: deps.webhookSecret, outbound: deps.outbound ?? { allow: [] } });
  }
  return { delivered: targets.length, removedChannels: ids.length - stored.length };
}

/** What each job of the catalogue does, over the stores of this process. */
export function createJobHandlers(deps: JobHandlerDeps): Required<JobHandlers> {
  return {
    'codebase-crawl': (payload, context) => crawlJob(deps, payload, context),
    analysis: (payload, context) => crawlJob(deps, { ...payload, apply: false, generateFixes: false }, context),
    'fix-application': (payload) => fixJob(deps, payload),
    notifications: (payload) => notifyJob(deps, payload),
  };
}
