// Core ESLint rules comparable to the Code Roach rule pack, for the crawl benchmark (bench/README.md).

export const BENCH_RULES = Object.freeze({
  'no-eval': 'error',
  'no-implied-eval': 'error',
  'no-new-func': 'error',
  'no-debugger': 'error',
  'no-compare-neg-zero': 'error',
  'use-isnan': 'error',
  'no-self-compare': 'error',
  'no-self-assign': 'error',
  'no-empty': ['error', { allowEmptyCatch: false }],
  'no-dupe-keys': 'error',
  'no-unreachable': 'error',
  'no-cond-assign': 'error',
  'no-unsafe-finally': 'error',
  'no-async-promise-executor': 'error',
  'valid-typeof': 'error',
  'no-prototype-builtins': 'error',
  'no-throw-literal': 'error',
  'no-useless-catch': 'error',
  'no-var': 'error',
  'no-extra-boolean-cast': 'error',
  // "smart" accepts `x == null` and typeof comparisons, as js/eqeqeq does.
  eqeqeq: ['error', 'smart'],
  'no-sparse-arrays': 'error',
  'no-await-in-loop': 'error',
});
