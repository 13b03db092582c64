import type { AttributionStore } from '../attribution/ports.js';
import type { SqlClient } from './sql.js';
import type { DeveloperStore } from './ports.js';
import { withTenant } from './tenant.js';
import * as attribution from './repositories/attribution.js';
import type { AuthorRuleRow, AuthorStats, DeveloperScope, WeekRow } from './repositories/attribution.js';

/** The interface lives in ports.ts (what api/ may see); exported here too for main/ and the tests. */
export type { DeveloperStore } from './ports.js';
export type { AuthorRuleRow, AuthorStats, DeveloperScope, WeekRow };

export function createDeveloperStore(db: SqlClient): DeveloperStore {
  return {
    authorStats: (scope, author) => withTenant(db, scope.organizationId, (tx) => attribution.authorStats(tx, scope, author)),
    weeklyTrend: (scope) => withTenant(db, scope.organizationId, (tx) => attribution.weeklyTrend(tx, scope)),
    authorRules: (scope, author) => withTenant(db, scope.organizationId, (tx) => attribution.authorRules(tx, scope, author)),
    attributionStates: (org, projectId) => withTenant(db, org, (tx) => attribution.attributionStates(tx, org, projectId)),
  };
}

/** The pipeline's attribution port over the same database. */
export function createAttributionStore(db: SqlClient): AttributionStore {
  return {
    pendingAttribution: (project, files) => withTenant(db, project.organizationId, (tx) => attribution.pendingAttribution(tx, project, files)),
    recordAttribution: (project, introduced, fixed) => withTenant(db, project.organizationId, (tx) => attribution.recordAttribution(tx, project, introduced, fixed)),
  };
}
