// ESLint options module for the crawl benchmark (loaded by bench/eslint-runner.mjs through
// ESLint.fromOptionsModule, so that the same options also reach ESLint's worker threads when
// concurrency is on). Only core rules that have a Code Roach counterpart are enabled.
import tseslint from 'typescript-eslint';
import process from 'node:process';
import { BENCH_RULES } from './eslint-rules.mjs';

// The same rules everywhere; inline `eslint` comments are ignored, as Code Roach ignores them.
const linterOptions = { noInlineConfig: true, reportUnusedDisableDirectives: 'off', reportUnusedInlineConfigs: 'off' };

const cwd = process.env.BENCH_ESLINT_CWD;
if (!cwd) throw new Error('eslint-options.mjs: BENCH_ESLINT_CWD is not set');
const concurrencyEnv = process.env.BENCH_ESLINT_CONCURRENCY ?? 'off';

export default {
  cwd,
  overrideConfigFile: true,
  concurrency: concurrencyEnv === 'off' || concurrencyEnv === 'auto' ? concurrencyEnv : Number(concurrencyEnv),
  overrideConfig: [
    {
      files: ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx'],
      // ESLint's defaults: .js/.mjs/.jsx as modules, .cjs as CommonJS. JSX on, as tree-sitter always parses it.
      languageOptions: { ecmaVersion: 'latest', parserOptions: { ecmaFeatures: { jsx: true } } },
      linterOptions,
      rules: BENCH_RULES,
    },
    {
      files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'],
      languageOptions: { parser: tseslint.parser },
      linterOptions,
      rules: BENCH_RULES,
    },
  ],
};
