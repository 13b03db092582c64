import { describe, expect, it } from 'vitest';
import { withoutMigrationUpkeep } from '../../src/crawl/migration-history.js';
import type { Finding } from '../../src/domain/finding.js';

const finding = (file: string, category: Finding['category']): Pick<Finding, 'file' | 'category'> => ({ file, category });

describe('withoutMigrationUpkeep', () => {
  it('drops maintainability and performance findings in migrations, keeps bugs and security, and everything elsewhere', () => {
    const kept = withoutMigrationUpkeep([
      finding('server/migrations/20221206-add-slug.js', 'maintainability'),
      finding('src/upgrades/1.5.0/flags_refactor.js', 'performance'),
      finding('alembic/versions/abc_add.py', 'maintainability'),
      finding('server/migrations/20221206-add-slug.js', 'bug'),
      finding('db/migrations/0001.py', 'security'),
      finding('src/migration.js', 'maintainability'),
      finding('src/models/upgrades.js', 'performance'),
    ]);
    expect(kept).toEqual([
      finding('server/migrations/20221206-add-slug.js', 'bug'),
      finding('db/migrations/0001.py', 'security'),
      finding('src/migration.js', 'maintainability'),
      finding('src/models/upgrades.js', 'performance'),
    ]);
  });
});
