import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Errors are never silent (issue 11): an error handler that does nothing hides outages and bugs.
 * A handler must log, rethrow, or go through `ignoreError(reason)` (src/domain/ignore-error.ts),
 * which names why ignoring is right there.
 */
const EMPTY_HANDLERS = [
  "ArrowFunctionExpression[body.type='Identifier'][body.name='undefined']",
  "ArrowFunctionExpression[body.type='UnaryExpression'][body.operator='void']",
  "ArrowFunctionExpression[body.type='BlockStatement'][body.body.length=0]",
  'FunctionExpression[body.body.length=0]',
];
const ERROR_CALLS = [
  "CallExpression[callee.property.name='catch']",
  "CallExpression[callee.property.name=/^(on|once|addListener|prependListener)$/][arguments.0.value='error']",
];
const EMPTY_ERROR_HANDLER = ERROR_CALLS.flatMap((call) =>
  EMPTY_HANDLERS.map((handler) => ({
    selector: `${call} > ${handler}.arguments`,
    message: 'Empty error handler: log the error, rethrow it, or use ignoreError(reason) to say why it may be ignored.',
  })),
);

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test/fixtures/', 'scratch/', 'coverage/', 'bench/.work/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // typescript-eslint's type-checked configuration, for src/ only (tests stay syntax-only and fast).
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: ['src/**/*.ts'] })),
  {
    // Type-aware rules for src/ (issue 12 point 3): a promise nobody awaits or catches, a promise where a
    // void callback is expected, a switch over a union that misses a member, and a condition the types
    // prove always true or false are errors. Tests stay on the faster syntax-only rules.
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unnecessary-condition': 'error',
      // Off on purpose: methods that implement promise-returning interfaces (the in-memory cache and
      // queue, Fastify plugins and handlers) are `async` without awaiting so that a throw becomes a
      // rejection, as the interface promises; the rule would have each return Promise.resolve by hand.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // An empty `catch {}` must at least say why in a comment; `.catch(() => undefined)` and
      // `.on('error', () => undefined)` must name their reason through ignoreError.
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-restricted-syntax': ['error', ...EMPTY_ERROR_HANDLER],
    },
  },
);
