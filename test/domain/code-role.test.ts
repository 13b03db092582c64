import { describe, expect, it } from 'vitest';
import { applyRolePolicy, defaultInTests, roleOfPath } from '../../src/domain/code-role.js';
import type { Finding } from '../../src/domain/finding.js';

describe('roleOfPath', () => {
  it.each([
    // JavaScript / TypeScript
    ['test/server.js', 'test'],
    ['tests/unit/parse.ts', 'test'],
    ['src/__tests__/parse.tsx', 'test'],
    ['packages/zod/src/v4/classic/tests/string.test.ts', 'test'],
    ['lib/parse.test.js', 'test'],
    ['lib/parse.spec.mjs', 'test'],
    ['src/app.e2e.ts', 'test'],
    ['index.test-d.ts', 'fixture'],
    ['test/types/pino.tst.ts', 'fixture'],
    ['spec/helpers/server.js', 'test'],
    ['e2e/login.ts', 'test'],
    ['packages/test-utils/index.ts', 'test'],
    ['integration-tests/run.js', 'test'],
    ['benchmark/parse.js', 'benchmark'],
    ['benchmarks/big.ts', 'benchmark'],
    ['bench/a.js', 'benchmark'],
    ['src/parse.bench.ts', 'benchmark'],
    ['examples/express/app.js', 'example'],
    ['extra/push-examples/java/index.java', 'example'],
    ['counterexamples/a.js', null],
    ['example/index.js', 'example'],
    ['demo/main.ts', 'example'],
    ['test/fixtures/bad.js', 'fixture'],
    ['__fixtures__/a.js', 'fixture'],
    ['src/__mocks__/fs.js', 'fixture'],
    ['fixtures/x.json', 'fixture'],
    // precedence: the file's name over its folder, the innermost folder over outer ones
    ['benchmark/parse.test.js', 'test'],
    ['examples/app/test/a.js', 'test'],
    ['test/benchmarks/a.js', 'benchmark'],
    // Python
    ['tests/test_api.py', 'test'],
    ['test_api.py', 'test'],
    ['pkg/api_test.py', 'test'],
    ['conftest.py', 'test'],
    ['app/tests.py', 'test'],
    ['examples/tutorial/flaskr/db.py', 'example'],
    // the test run's environment file
    ['.env.test', 'test'],
    ['apps/web/.env.testing', 'test'],
    ['.env.production', null],
    // the end-to-end runner's configuration, with its seeded users
    ['cypress.config.ts', 'test'],
    ['apps/web/playwright.config.mjs', 'test'],
    // Django settings of the test run and CI, in a settings package; not elsewhere
    ['settings/ci.py', 'test'],
    ['myproject/settings/testing.py', 'test'],
    ['settings/main.py', null],
    ['tools/ci.py', null],
    // Go
    ['pkg/auth/token_test.go', 'test'],
    ['pkg/auth/testdata/cert.go', 'fixture'],
    // Java / Kotlin
    ['src/test/java/org/example/AppTest.java', 'test'],
    ['src/test/java/com/example/fixtures/Helper.java', 'test'],
    ['src/test/resources/com/example/data.json', 'test'],
    ['core/src/main/java/org/example/ParserTests.java', 'test'],
    ['src/main/java/org/example/ServiceIT.java', 'test'],
    // names that only suggest a test
    ['test.js', 'maybe-test'],
    ['test-server.js', 'maybe-test'],
    ['lib/server-test.js', 'maybe-test'],
    ['scripts/test_utils.ts', 'maybe-test'],
    // production code
    ['src/index.ts', null],
    ['lib/testing.js', null],
    ['src/contest.js', null],
    ['src/latest.py', null],
    ['lib/attest.go', null],
    ['src/main/java/org/example/Contest.java', null],
    ['core/src/main/java/com/example/test/Client.java', null],
    ['examples/core/src/main/java/com/example/App.java', 'example'],
    ['src/rules/javascript/no-eval.yml', null],
    ['docs/conf.py', 'example'],
    // configuration to copy, then change
    ['.env.example', 'example'],
    ['backend/src/database/seeds/02_api_token.ts', 'fixture'],
    ['db/seeders/20240101-users.js', 'fixture'],
    ['packages/prisma/seed.js', 'fixture'],
    ['db/seeds.rb', 'fixture'],
    ['src/random/seed-rng.js', null],
    ['deploy/.env.sample', 'example'],
    ['config/settings.yml.example', 'example'],
    ['.env', null],
    ['.env.production', null],
    ['src/protest/index.js', null],
  ] as const)('%s is %s', (file, role) => {
    expect(roleOfPath(file)).toBe(role);
  });
});

const finding = (severity: Finding['severity']): Finding => ({ ruleId: 'js/x', file: 'test/a.js', severity, category: 'bug' }) as unknown as Finding;

describe('applyRolePolicy', () => {
  it('keeps, lowers or drops a finding, marking what stays with the role', () => {
    expect(applyRolePolicy(finding('medium'), 'test', 'keep')).toMatchObject({ severity: 'medium', codeRole: 'test' });
    expect(applyRolePolicy(finding('critical'), 'example', 'low')).toMatchObject({ severity: 'low', codeRole: 'example' });
    expect(applyRolePolicy(finding('high'), 'benchmark', 'off')).toBeNull();
  });

  it('reports a kept bug at most at medium outside production, and never raises a severity', () => {
    expect(applyRolePolicy(finding('high'), 'test', 'keep')).toMatchObject({ severity: 'medium', codeRole: 'test' });
    expect(applyRolePolicy(finding('critical'), 'example', 'keep')).toMatchObject({ severity: 'medium' });
    expect(applyRolePolicy(finding('low'), 'test', 'keep')).toMatchObject({ severity: 'low' });
  });

  it('keeps a leaked secret (a security rule kept in tests) at its severity, also in fixtures', () => {
    const token = { ...finding('high'), category: 'security' } as Finding;
    expect(applyRolePolicy(token, 'test', 'keep')).toMatchObject({ severity: 'high', codeRole: 'test' });
    expect(applyRolePolicy(token, 'fixture', 'keep')).toMatchObject({ severity: 'high', codeRole: 'fixture' });
    expect(applyRolePolicy(token, 'fixture', 'low')).toBeNull();
  });

  it('reports nothing else in fixtures: their broken code is on purpose', () => {
    expect(applyRolePolicy(finding('high'), 'fixture', 'keep')).toBeNull();
    expect(applyRolePolicy(finding('high'), 'fixture', 'low')).toBeNull();
    expect(applyRolePolicy(finding('high'), 'fixture', 'off')).toBeNull();
  });

  it('is idempotent', () => {
    const once = applyRolePolicy(finding('critical'), 'test', 'keep');
    expect(once && applyRolePolicy(once, 'test', 'keep')).toEqual(once);
  });
});

describe('defaultInTests', () => {
  it('is low for security and performance rules, keep for the others', () => {
    expect(['security', 'performance', 'bug', 'maintainability', 'style'].map((c) => defaultInTests(c as never))).toEqual(['low', 'low', 'keep', 'keep', 'keep']);
  });
});
