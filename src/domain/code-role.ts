import type { Category, Severity } from './severity.js';

/**
 * What a file is when it is not production code. `test`: test files and their helpers (unit, e2e);
 * `fixture`: data the tests use (fixtures, mocks, Go `testdata`), often deliberately wrong code;
 * `example`: documentation examples and demos; `benchmark`: benchmarks; `script`: the project's own
 * developer and operations tooling (build, release and maintenance scripts that package.json's `scripts`
 * run, files in a `scripts/` folder, schema migrations, CI configuration, a container's HEALTHCHECK probe).
 * No request reaches any of them, so a security rule's premise (an attacker reaches this code) does not
 * hold there.
 */
export const CODE_ROLES = ['test', 'fixture', 'example', 'benchmark', 'script'] as const;
export type CodeRole = (typeof CODE_ROLES)[number];

/**
 * A rule's policy for non-production code (`inTests` in the rule YAML): `keep` reports it as anywhere
 * else (a real bug is a bug in a test too), `low` reports it at low severity, `off` does not report it.
 */
export const IN_TESTS_POLICIES = ['keep', 'low', 'off'] as const;
export type InTestsPolicy = (typeof IN_TESTS_POLICIES)[number];

/**
 * The policy of a rule that declares none: security and performance rules are `low` (their severity
 * assumes production: an attacker's input, a hot path), every other category is `keep` (a wrong
 * comparison or an unreachable line is as wrong in a test). Low rather than off: a custom rule's author
 * may not have thought about tests, and nothing disappears without the rule saying so.
 */
export function defaultInTests(category: Category): InTestsPolicy {
  return category === 'security' || category === 'performance' ? 'low' : 'keep';
}

/** The highest severity a finding in test, example or benchmark code keeps: a test's bug does not reach users. */
export const NON_PRODUCTION_CEILING: Severity = 'medium';

const CAPPED: ReadonlySet<Severity> = new Set<Severity>(['high', 'critical']);

/**
 * A finding in code of `role` under `policy`: dropped (null), lowered to low, or kept; whatever stays is
 * marked with the role so reports can show it.
 * - A kept finding is reported at most at medium: a bug in a test (an assertion that cannot fail) is worth
 *   fixing, but it breaks no user's data, so it never competes with production's high findings. The one
 *   exception is a `keep` security finding (a live provider token): a committed token leaks wherever it is.
 * - Fixtures hold deliberately broken code (a parser's, a linter's or a type test's input), so only such
 *   leaked secrets are reported there; everything else is the fixture doing its job.
 * Idempotent: applying it twice gives the same result, so findings that already went through it can be
 * passed again.
 */
export function applyRolePolicy<T extends { readonly severity: Severity; readonly category: Category; readonly codeRole?: CodeRole }>(
  finding: T,
  role: CodeRole,
  policy: InTestsPolicy,
): T | null {
  const leaks = policy === 'keep' && finding.category === 'security';
  if (policy === 'off' || (role === 'fixture' && !leaks)) return null;
  const severity = policy === 'low' ? 'low' : !leaks && CAPPED.has(finding.severity) ? NON_PRODUCTION_CEILING : finding.severity;
  return { ...finding, severity, codeRole: role };
}

/** The answer of the path alone: a role, production (null), or a name that needs a look at the content. */
export type PathVerdict = CodeRole | 'maybe-test' | null;

/** Data, not code under test: fixtures, mocks, snapshots, and the seeds of a development database (knex `seeds/`, Sequelize `seeders/`). */
const FIXTURE_DIRS = /^(__)?(fixtures?|mocks|snapshots)(__)?$|^testdata$|^test[-_]?data$|^seeds?$|^seeders$/i;
/** The seed script of a development database: Prisma's `prisma/seed.ts`, a `seeds.py`, Rails' `db/seeds.rb`. */
const SEED_FILES = /^seeds?\.(c|m)?[jt]s$|^seeds?\.(py|rb)$/;
const TEST_DIRS = /^(__)?tests?(__)?$|^specs?$|^e2e$|^(unit|integration|functional|acceptance)[-_]?tests?$|^test[-_]?(utils?|helpers?|support)$/i;
const BENCHMARK_DIRS = /^bench(es|marks?)?$/i;
/** `push-examples/` too. Documentation folders hold examples too: the keys in `docs/config.rst` are there to be copied, then changed. */
const EXAMPLE_DIRS = /^examples?$|[-_]examples?$|^demos?$|^samples?$|^docs?$|^documentation$/i;
/** `a.test.ts`, `a.spec.js`, `a.e2e.ts`, Python and Go test files, Java test classes, the test run's `.env.test`, the e2e runners' configuration (`cypress.config.ts`: its seeded users' passwords). */
const TEST_FILES = /\.(test|tests|spec|e2e)\.[a-z0-9]+$|^(cypress|playwright)\.config\.[cm]?[jt]s$|^test_.*\.py$|_test\.(py|go)$|^conftest\.py$|^tests\.py$|[a-z0-9](Test|Tests|IT)\.(java|kt)$|^\.env\.(test|testing)(\.local)?$/;
/** Django-style settings of the test run and CI (`settings/ci.py`, `settings/testing.py`), in a settings package. */
const SETTINGS_DIRS = /^(settings|config|conf)$/;
const TEST_SETTINGS_FILES = /^(ci|test|testing)\.py$/;
const TYPE_TEST_FILES = /\.(test-d|tst)\.[cm]?tsx?$/;
const BENCHMARK_FILES = /\.(bench|benchmark)\.[a-z0-9]+$/i;
/** Configuration to copy, then change: `.env.example`, `.env.sample`, `config.yml.example`, `settings.py.dist`. */
const EXAMPLE_FILES = /^\.env\.(example|sample|template|dist|defaults?)$|\.(example|sample|dist|template)$/i;
/** `test.js`, `test-server.js`, `server-test.js`, `test_utils.ts`: test code by name only if its imports say so. */
const MAYBE_TEST_FILES = /^tests?([-_.].*)?\.[cm]?[jt]sx?$|[-_.](tests?|spec)\.[cm]?[jt]sx?$/i;

/**
 * The folders whose names say something: below a Maven/Gradle `src/main/<lang>/` or `src/test/<lang>/` the
 * folders are a package name (`com/example/` is no example), so only the folders up to `main`/`test` count.
 */
function folderSegments(folders: readonly string[]): string[] {
  const at = folders.findIndex((segment, i) => segment === 'src' && (folders[i + 1] === 'main' || folders[i + 1] === 'test'));
  if (at < 0) return [...folders];
  return folders[at + 1] === 'test' ? folders.slice(0, at + 2) : folders.slice(0, at);
}

/**
 * The role a project-relative POSIX path has by the usual conventions, before any configuration.
 * A fixture folder wins over everything (fixtures under `test/` are data, not tests); then the file's
 * own name (`x.test.js` in `benchmark/` is a test); then the innermost folder with a known name
 * (`examples/app/test/a.js` is a test of an example). Regexes here match path segments, never code.
 */
export function roleOfPath(file: string): PathVerdict {
  const all = file.split('/');
  const name = all.pop() ?? '';
  const segments = folderSegments(all);
  if (segments.some((segment) => FIXTURE_DIRS.test(segment))) return 'fixture';
  // Type tests (tsd, TSTyche) are input to the type checker and never run: data, like a fixture.
  if (TYPE_TEST_FILES.test(name)) return 'fixture';
  if (SEED_FILES.test(name)) return 'fixture';
  if (TEST_FILES.test(name)) return 'test';
  if (SETTINGS_DIRS.test(all[all.length - 1] ?? '') && TEST_SETTINGS_FILES.test(name)) return 'test';
  if (BENCHMARK_FILES.test(name)) return 'benchmark';
  if (EXAMPLE_FILES.test(name)) return 'example';
  for (const segment of segments.reverse()) {
    if (TEST_DIRS.test(segment)) return 'test';
    if (BENCHMARK_DIRS.test(segment)) return 'benchmark';
    if (EXAMPLE_DIRS.test(segment)) return 'example';
  }
  return MAYBE_TEST_FILES.test(name) ? 'maybe-test' : null;
}
