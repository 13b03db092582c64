import { z } from 'zod';
import { CATEGORIES, SEVERITIES } from '../domain/severity.js';
import { LANGUAGES } from '../domain/finding.js';
import { IN_TESTS_POLICIES } from '../domain/code-role.js';
import { TaintSectionSchema } from './taint/spec.js';

/** Short prefix of rule ids per rule folder, so that `javascript/no-eval.yml` is `js/no-eval`. */
export const RULE_ID_PREFIX: Readonly<Record<string, string>> = Object.freeze({ javascript: 'js', python: 'py', go: 'go', java: 'java' });

const astGrepRule = z.record(z.string(), z.unknown()).refine((value) => Object.keys(value).length > 0, {
  message: 'must not be empty',
});

/**
 * The minimum ECMAScript edition a rule or a fix template needs, spelled `es5`, `es2015` ... `es2025`.
 * A project whose target is older gets neither (see docs/target.md).
 */
const minTarget = z.string().regex(/^es(5|20(1[5-9]|[2-9]\d))$/, 'must be an edition such as "es2019"');

const addImport = z.union([z.string().min(1), z.strictObject({ esm: z.string().min(1), commonjs: z.string().min(1) })]);

const fixTemplate = z.strictObject({
  template: z.string(),
  safety: z.enum(['safe', 'unsafe']),
  /** The edition the template's output needs (e.g. `Object.hasOwn`: es2022); absent: any. */
  minTarget: minTarget.optional(),
  /**
   * An import line the rewritten code needs (`import secrets`, `import java.security.SecureRandom;`), added
   * after the file's imports when it is not there, as part of the same fix. JavaScript and TypeScript take
   * both forms, `{ esm: "import { randomInt } from 'node:crypto';", commonjs: "const { randomInt } =
   * require('node:crypto');" }`, and get the one of the file's module system.
   */
  addImport: addImport.optional(),
});

/** One rule file: data only. The ast-grep part (`rule`, `constraints`, `utils`) is passed to ast-grep as is. */
export const RuleFileSchema = z.strictObject({
  id: z.string().regex(/^[a-z]+\/[a-z0-9]+(-[a-z0-9]+)*$/, 'must look like "js/rule-name"'),
  languages: z.array(z.enum(LANGUAGES)).min(1),
  severity: z.enum(SEVERITIES),
  category: z.enum(CATEGORIES),
  cwe: z.number().int().positive().optional(),
  message: z.string().min(1),
  doc: z.strictObject({
    rationale: z.string().min(1),
    bad: z.string().min(1),
    good: z.string().min(1),
  }),
  rule: astGrepRule,
  constraints: z.record(z.string(), z.unknown()).optional(),
  utils: z.record(z.string(), z.unknown()).optional(),
  /** Makes the rule fire only when a sink metavariable's value derives from an untrusted source. */
  taint: TaintSectionSchema.optional(),
  /**
   * A style rule the project's own practice can overrule: `conforming` matches what the rule wants (e.g.
   * `lexical_declaration` for no-var); when the rule's findings are at least `threshold` of findings plus
   * conforming nodes across the project (and there are at least `minimum` of both), the project writes it
   * the other way on purpose and the rule is reported once as a convention note (see crawl/decisions.ts).
   */
  convention: z
    .strictObject({
      conforming: astGrepRule,
      threshold: z.number().min(0.5).max(1).default(0.95),
      minimum: z.number().int().positive().default(20),
    })
    .optional(),
  /** The edition below which the rule's advice makes no sense (e.g. prefer `**`: es2016); absent: any. */
  minTarget: minTarget.optional(),
  fix: fixTemplate
    .extend({
      /**
       * A secret moved to the environment (issue 14: a fix with a second file): the metavariable whose text
       * names the variable (`stripeSecretKey`, `self.api_key`, `settings["SECRET_KEY"]`: its last name, in
       * upper snake case, `STRIPE_SECRET_KEY`) is bound as `$ENV_VAR` for the template, and the fix adds
       * `STRIPE_SECRET_KEY=` to the project's `.env.example` (created when missing) in the same unit.
       */
      envVar: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must name a metavariable, e.g. "NAME"').optional(),
      /**
       * SQL built from values made a parameterised query (engine/sql-parameterize.ts): the metavariable bound
       * to the SQL argument of the matched call is replaced by constant text with the placeholders of the
       * driver the file loads and the values after it; `template` documents that replacement, `$QUERY, $VALUES`.
       * No fix where the driver, the call or the SQL leave doubt. JavaScript and TypeScript.
       */
      parameterize: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must name a metavariable, e.g. "SQL"').optional(),
      /**
       * A shell command built from values run without a shell (engine/command-split.ts): `exec`/`execSync` of
       * the metavariable's command become `execFile`/`execFileSync` of its program and argument list;
       * `template` documents it, `$RUNNER($PROGRAM, [$ARGS])`. No fix where the shell would read the command
       * otherwise (quotes, pipes, globs, variables). JavaScript and TypeScript.
       */
      /**
       * Python markup built by splicing (an f-string, `%`, `.format`, `+`) taken apart (engine/python-format-escaped.ts):
       * the metavariable's text binds `$FORMAT` (a `str.format` template literal) and `$ARGS` (its values), so the
       * template can have them escaped (`format_html($FORMAT, $ARGS)`); no fix when it is built another way.
       */
      escapeFormat: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must name a metavariable, e.g. "TEXT"').optional(),
      splitCommand: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'must name a metavariable, e.g. "CMD"').optional(),
      /** The same fix spelled for older targets, used where the project's target is below `minTarget`. */
      fallback: fixTemplate.optional(),
      /**
       * Other spellings for other shapes of the match, tried in order: the first whose `when` (an ast-grep
       * rule, which may use the rule's `utils`) matches the matched node is the fix; none: `template`.
       * A variant's safety and import default to the fix's own; `template: null` means that shape has no
       * correct rewrite, so it gets no fix.
       */
      variants: z
        .array(
          z.strictObject({
            when: astGrepRule,
            template: z.string().nullable(),
            safety: z.enum(['safe', 'unsafe']).optional(),
            addImport: addImport.optional(),
          }),
        )
        .min(1)
        .optional(),
    })
    .refine((fix) => !fix.fallback || fix.minTarget !== undefined, { message: 'fallback is only used below the fix\'s minTarget: set minTarget', path: ['fallback'] })
    .optional(),
  /**
   * Off unless `.roach.yml` `rules.enabled` names it: a rule whose findings a maintainer mostly rejects on real
   * code (measured by `npm run bench:precision`) stays in the pack for teams that want it, not in the defaults.
   */
  optIn: z.strictObject({ reason: z.string().min(1) }).optional(),
  /**
   * In test, fixture, example and benchmark code: `keep` (a real bug there too), `low` or `off`.
   * Absent: `low` for security and performance rules, `keep` for the others (see domain/code-role.ts).
   */
  inTests: z.enum(IN_TESTS_POLICIES).optional(),
  /**
   * A setting the project may choose on purpose (`secure: false` for installs without HTTPS): a comment
   * right above it that gives the reason (engine/commented-choice.ts) is the maintainer's decision, and the
   * finding is not reported. Never for rules about data reaching a sink: a comment cannot make data safe.
   */
  commentedChoice: z.boolean().optional(),
  /**
   * A context where the same code does less harm: when the matched node also matches `when` (an ast-grep
   * rule; the file's `utils` apply), the finding is reported at `to` instead of `severity` (TLS
   * verification off on a request that carries no credentials: medium). `reason` says why, in the docs.
   */
  lowerSeverity: z
    .strictObject({
      to: z.enum(SEVERITIES),
      reason: z.string().min(1),
      when: astGrepRule,
    })
    .optional(),
});
export type RuleFile = z.infer<typeof RuleFileSchema>;

/**
 * Where an invalid case expects a finding, as ESLint's RuleTester states it: 1-based line and column of
 * the finding's start, and optionally of its end (the column just past the last character).
 */
const expectedFinding = z.strictObject({
  line: z.number().int().positive(),
  column: z.number().int().positive(),
  endLine: z.number().int().positive().optional(),
  endColumn: z.number().int().positive().optional(),
  /** The finding's severity after the rule's `inTests` policy, for cases with a test-code `path`. */
  severity: z.enum(SEVERITIES).optional(),
});

/** The file a case's code is analyzed as, e.g. `test/app.test.js` to show the rule's `inTests` policy; default `case`. */
const casePath = z.string().min(1).regex(/^[^/\0][^\0]*$/, 'must be a relative POSIX path');

const validCase = z.strictObject({
  code: z.string(),
  language: z.enum(LANGUAGES).optional(),
  path: casePath.optional(),
  /** The project's target the case runs under (`es2018`, `esnext`); absent: no restriction. */
  target: z.string().regex(/^es(5|20(1[5-9]|[2-9]\d)|next)$/, 'must be an edition such as "es2018" or "esnext"').optional(),
  /**
   * Other files of the project, by path (`routes/user.js`), for flows across modules: the case's `code`
   * (at `path`, default `case.js` then) imports them or is imported by them. Findings are those in `code`.
   */
  modules: z.record(casePath, z.string()).optional(),
});

const invalidCase = validCase.extend({
  /** For invalid cases of rules with a fix: the whole file after the fix is applied. */
  output: z.string().optional(),
  /** Every finding the rule must report on `code`, by position; no other finding may be reported. */
  errors: z.array(expectedFinding).min(1),
});

/** The test cases beside each rule (`<name>.test.yml`). */
export const RuleTestFileSchema = z.strictObject({
  valid: z.array(validCase).min(1),
  invalid: z.array(invalidCase).min(1),
});
export type RuleTestFile = z.infer<typeof RuleTestFileSchema>;
export type ValidRuleCase = z.infer<typeof validCase>;
export type InvalidRuleCase = z.infer<typeof invalidCase>;
export type ExpectedFinding = z.infer<typeof expectedFinding>;
