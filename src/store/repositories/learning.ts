import { RoachError } from '../../domain/errors.js';
import { HALF_LIFE_DAYS, deprecationChange, isSuccess, patternBound } from '../../domain/pattern-learning.js';
import type { FixOutcome, PatternStats } from '../../fixes/ports.js';
import type { ProjectRef } from '../../domain/project-ref.js';
import type { SqlClient } from '../sql.js';
import { chunks } from './batch.js';

/**
 * Which outcomes a project learns from. A sharing project reads the pool of every sharing project of
 * its organization; any other project its own outcomes only. `$1` is the organization, `$2` the
 * project, `$3` whether it shares.
 */
export const IN_SCOPE = `o.organization_id = $1 AND CASE WHEN $3::boolean
  THEN o.project_id IN (SELECT id FROM projects WHERE organization_id = $1 AND share_patterns)
  ELSE o.project_id = $2::uuid END`;

/** Weight of an outcome: halves every half-life (`$4`, seconds). */
export const WEIGHT = `power(0.5, extract(epoch FROM (now() - o.recorded_at))::float8 / $4::float8)`;

export const HALF_LIFE_SECONDS = HALF_LIFE_DAYS * 86_400;

export interface ScopeTally {
  readonly fingerprint: string;
  readonly successes: number;
  readonly failures: number;
  readonly weightedSuccesses: number;
  readonly weightedFailures: number;
}

interface TallyRow {
  fingerprint: string;
  successes: number | string;
  failures: number | string;
  ws: number | string;
  wf: number | string;
  since_restore: number | string;
}

export async function sharesPatterns(db: SqlClient, project: ProjectRef): Promise<boolean> {
  const [row] = await db.query<{ share_patterns: boolean }>('SELECT share_patterns FROM projects WHERE id = $1', [project.projectId]);
  return row?.share_patterns ?? false;
}

export async function setPatternSharing(db: SqlClient, project: ProjectRef, share: boolean): Promise<void> {
  await db.query('UPDATE projects SET share_patterns = $2 WHERE id = $1 AND share_patterns <> $2', [project.projectId, share]);
}

/** Counted and recency-weighted outcomes per pattern in the project's scope (all patterns when `fingerprints` is null). */
export async function scopeTallies(
  db: SqlClient,
  project: ProjectRef,
  share: boolean,
  fingerprints: readonly string[] | null,
): Promise<(ScopeTally & { sinceRestore: number })[]> {
  const restoredAt = share
    ? `(SELECT restored_at FROM code_roach_patterns p WHERE p.organization_id = $1 AND p.fingerprint = o.pattern_fingerprint)`
    : `(SELECT restored_at FROM code_roach_project_patterns pp WHERE pp.project_id = $2::uuid AND pp.fingerprint = o.pattern_fingerprint)`;
  const rows = await db.query<TallyRow>(
    `SELECT o.pattern_fingerprint AS fingerprint,
            count(*) FILTER (WHERE o.success) AS successes,
            count(*) FILTER (WHERE NOT o.success) AS failures,
            coalesce(sum(${WEIGHT}) FILTER (WHERE o.success), 0) AS ws,
            coalesce(sum(${WEIGHT}) FILTER (WHERE NOT o.success), 0) AS wf,
            count(*) FILTER (WHERE ${restoredAt} IS NULL OR o.recorded_at > ${restoredAt}) AS since_restore
     FROM code_roach_fix_outcomes o
     WHERE ${IN_SCOPE} AND ($5::text[] IS NULL OR o.pattern_fingerprint = ANY($5::text[]))
     GROUP BY o.pattern_fingerprint`,
    [project.organizationId, project.projectId, share, HALF_LIFE_SECONDS, fingerprints],
  );
  return rows.map((row) => ({
    fingerprint: row.fingerprint,
    successes: Number(row.successes),
    failures: Number(row.failures),
    weightedSuccesses: Number(row.ws),
    weightedFailures: Number(row.wf),
    sinceRestore: Number(row.since_restore),
  }));
}

interface PatternRow {
  fingerprint: string;
  deprecated: boolean;
  project_deprecated: boolean | null;
  best_fix: PatternStats['bestFix'];
}

/** The statistics each pattern's decisions use, in the project's scope. */
export async function patternStats(db: SqlClient, project: ProjectRef, fingerprints: readonly string[]): Promise<Map<string, PatternStats>> {
  const out = new Map<string, PatternStats>();
  const share = await sharesPatterns(db, project);
  for (const chunk of chunks(fingerprints)) {
    // A best fix taught in another project is visible only when both projects share their learning.
    const rows = await db.query<PatternRow>(
      `SELECT p.fingerprint, p.deprecated, pp.deprecated AS project_deprecated,
              CASE WHEN NOT (p.best_fix ? 'learnedIn') OR p.best_fix->>'learnedIn' = $2::text
                     OR ($4::boolean AND EXISTS (SELECT 1 FROM projects t WHERE t.id::text = p.best_fix->>'learnedIn' AND t.share_patterns))
                   THEN p.best_fix - 'learnedIn' END AS best_fix
       FROM code_roach_patterns p
       LEFT JOIN code_roach_project_patterns pp ON pp.project_id = $2 AND pp.fingerprint = p.fingerprint
       WHERE p.organization_id = $1 AND p.fingerprint = ANY($3::text[])`,
      [project.organizationId, project.projectId, chunk, share],
    );
    const tallies = new Map((await scopeTallies(db, project, share, chunk)).map((t) => [t.fingerprint, t]));
    for (const row of rows) {
      const tally = tallies.get(row.fingerprint);
      out.set(row.fingerprint, {
        fingerprint: row.fingerprint,
        successes: tally?.successes ?? 0,
        failures: tally?.failures ?? 0,
        weightedSuccesses: tally?.weightedSuccesses ?? 0,
        weightedFailures: tally?.weightedFailures ?? 0,
        deprecated: share ? row.deprecated : (row.project_deprecated ?? false),
        bestFix: row.best_fix,
      });
    }
  }
  return out;
}

const OUTCOME_WORDS: Record<FixOutcome['kind'], string> = {
  verified: 'applied and verified',
  failed_validation: 'failed validation',
  failed_apply: 'failed to apply',
  rejected: 'rejected in review',
  rolled_back: 'rolled back',
  reverted: 'reverted after it was applied',
  re_edited: 're-edited after it was applied',
};

interface FixRow {
  pattern_fingerprint: string;
  rule_id: string;
  strategy: string;
  safety: string;
  confidence: number;
  previous: string | null;
}

/** Where a scope keeps a pattern's state: the organization's pattern row, or the project's own. */
async function scopeState(db: SqlClient, project: ProjectRef, share: boolean, fingerprint: string): Promise<{ deprecated: boolean }> {
  const rows = share
    ? await db.query<{ deprecated: boolean }>('SELECT deprecated FROM code_roach_patterns WHERE organization_id = $1 AND fingerprint = $2', [
        project.organizationId,
        fingerprint,
      ])
    : await db.query<{ deprecated: boolean }>('SELECT deprecated FROM code_roach_project_patterns WHERE project_id = $1 AND fingerprint = $2', [
        project.projectId,
        fingerprint,
      ]);
  return { deprecated: rows[0]?.deprecated ?? false };
}

async function writeScopeState(
  db: SqlClient,
  project: ProjectRef,
  share: boolean,
  fingerprint: string,
  tally: { successes: number; failures: number },
  bound: number,
  deprecated: boolean,
): Promise<void> {
  if (share) {
    await db.query(
      `UPDATE code_roach_patterns SET success_count = $3, failure_count = $4, confidence = $5, deprecated = $6, updated_at = now()
       WHERE organization_id = $1 AND fingerprint = $2`,
      [project.organizationId, fingerprint, tally.successes, tally.failures, bound, deprecated],
    );
    return;
  }
  await db.query(
    `INSERT INTO code_roach_project_patterns (project_id, fingerprint, confidence, deprecated) VALUES ($1, $2, $3, $4)
     ON CONFLICT (project_id, fingerprint) DO UPDATE SET confidence = EXCLUDED.confidence, deprecated = EXCLUDED.deprecated, updated_at = now()`,
    [project.projectId, fingerprint, bound, deprecated],
  );
}

async function addHistory(
  db: SqlClient,
  project: ProjectRef,
  share: boolean,
  entry: { fingerprint: string; fixId: string | null; event: 'outcome' | 'deprecated' | 'restored'; detail: string; successes: number; failures: number; bound: number },
): Promise<void> {
  await db.query(
    `INSERT INTO code_roach_pattern_history (organization_id, fingerprint, project_id, fix_id, event, detail, successes, failures, lower_bound)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [project.organizationId, entry.fingerprint, share ? null : project.projectId, entry.fixId, entry.event, entry.detail, entry.successes, entry.failures, entry.bound],
  );
}

/**
 * Records how a fix ended (replacing an earlier outcome of the same fix; the same outcome twice is a
 * no-op), then recomputes its pattern in the project's scope: counts, lower bound, deprecation, and
 * a history entry for each change. Runs inside the caller's tenant transaction.
 */
export async function recordFixOutcome(db: SqlClient, project: ProjectRef, outcome: FixOutcome): Promise<void> {
  const [fix] = await db.query<FixRow>(
    `SELECT f.pattern_fingerprint, f.rule_id, f.strategy, f.safety, f.confidence,
            (SELECT o.outcome FROM code_roach_fix_outcomes o WHERE o.fix_id = f.id) AS previous
     FROM fixes f WHERE f.project_id = $1 AND f.id = $2`,
    [project.projectId, outcome.fixId],
  );
  if (!fix) throw new RoachError('CR_ERR_FIX_NOT_FOUND', `No fix ${outcome.fixId} in this project to record an outcome for.`, { fixId: outcome.fixId });
  if (fix.previous === outcome.kind) return;
  await db.query(
    `INSERT INTO code_roach_fix_outcomes (fix_id, organization_id, project_id, pattern_fingerprint, rule_id, strategy, safety, confidence, outcome, success, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (fix_id) DO UPDATE SET outcome = EXCLUDED.outcome, success = EXCLUDED.success, detail = EXCLUDED.detail, recorded_at = now()`,
    [
      outcome.fixId,
      project.organizationId,
      project.projectId,
      fix.pattern_fingerprint,
      fix.rule_id,
      fix.strategy,
      fix.safety,
      fix.confidence,
      outcome.kind,
      isSuccess(outcome.kind),
      outcome.detail,
    ],
  );
  // Outcomes can arrive for a pattern no crawl has counted yet (a fix made through the API).
  await db.query(
    `INSERT INTO code_roach_patterns (organization_id, fingerprint, rule_id, error_pattern) VALUES ($1, $2, $3, jsonb_build_object('ruleId', $3::text))
     ON CONFLICT (organization_id, fingerprint) DO NOTHING`,
    [project.organizationId, fix.pattern_fingerprint, fix.rule_id],
  );
  const share = await sharesPatterns(db, project);
  const [tally] = await scopeTallies(db, project, share, [fix.pattern_fingerprint]);
  if (!tally) return;
  const bound = patternBound(tally.weightedSuccesses, tally.weightedFailures);
  const { deprecated } = await scopeState(db, project, share, fix.pattern_fingerprint);
  const change = deprecationChange({ ...tally, attemptsSinceRestore: tally.sinceRestore, deprecated });
  await writeScopeState(db, project, share, fix.pattern_fingerprint, tally, bound, deprecated || change !== null);
  const words = `fix ${outcome.fixId.slice(0, 8)} ${OUTCOME_WORDS[outcome.kind]}${outcome.detail ? ` (${outcome.detail})` : ''}`;
  const replaced = fix.previous ? `; replaces "${(OUTCOME_WORDS as Partial<Record<string, string>>)[fix.previous] ?? fix.previous}"` : '';
  const base = { fingerprint: fix.pattern_fingerprint, fixId: outcome.fixId, successes: tally.successes, failures: tally.failures, bound };
  await addHistory(db, project, share, {
    ...base,
    event: 'outcome',
    detail: `${words}${replaced}; ${fix.strategy} fix decided at confidence ${Number(fix.confidence)}`,
  });
  if (change) await addHistory(db, project, share, { ...base, event: 'deprecated', detail: `${change}; no longer auto-applied` });
}

/** Several outcomes in order (each one's history entry shows the counts right after it). */
export async function recordFixOutcomes(db: SqlClient, project: ProjectRef, outcomes: readonly FixOutcome[]): Promise<void> {
  for (const outcome of outcomes) await recordFixOutcome(db, project, outcome);
}

/** A human approved a fix of a deprecated pattern: it may be auto-applied again, until new outcomes say otherwise. */
export async function restorePattern(db: SqlClient, project: ProjectRef, fingerprint: string, actor: string, reason: string): Promise<boolean> {
  const share = await sharesPatterns(db, project);
  const { deprecated } = await scopeState(db, project, share, fingerprint);
  if (!deprecated) return false;
  if (share) {
    await db.query('UPDATE code_roach_patterns SET deprecated = false, restored_at = now(), updated_at = now() WHERE organization_id = $1 AND fingerprint = $2', [
      project.organizationId,
      fingerprint,
    ]);
  } else {
    await db.query('UPDATE code_roach_project_patterns SET deprecated = false, restored_at = now(), updated_at = now() WHERE project_id = $1 AND fingerprint = $2', [
      project.projectId,
      fingerprint,
    ]);
  }
  const [tally] = await scopeTallies(db, project, share, [fingerprint]);
  await addHistory(db, project, share, {
    fingerprint,
    fixId: null,
    event: 'restored',
    detail: `restored by ${actor}: ${reason}`,
    successes: tally?.successes ?? 0,
    failures: tally?.failures ?? 0,
    bound: patternBound(tally?.weightedSuccesses ?? 0, tally?.weightedFailures ?? 0),
  });
  return true;
}
