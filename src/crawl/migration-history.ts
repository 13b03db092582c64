import type { Finding } from '../domain/finding.js';

/**
 * Schema and data migrations (`migrations/`, Alembic's `alembic/`, `upgrades/`): each ran once, on every
 * deployment, in the order written. They are history, not code anyone maintains: rewriting one to read
 * better changes nothing that runs again and risks a database that no longer matches its record. So
 * maintainability and performance findings there are not reported; bugs and security findings are.
 */
export const MIGRATION_FOLDER = /(?:^|\/)(?:migrations|alembic|upgrades)\//;

const NOT_FOR_HISTORY = new Set<Finding['category']>(['maintainability', 'performance']);

export function withoutMigrationUpkeep<T extends Pick<Finding, 'file' | 'category'>>(findings: readonly T[]): T[] {
  return findings.filter((finding) => !(NOT_FOR_HISTORY.has(finding.category) && MIGRATION_FOLDER.test(finding.file)));
}
