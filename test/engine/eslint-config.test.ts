import { describe, expect, it } from 'vitest';
import { rulesOffInData, rulesOffInJavaScript, rulesOffInJsonOrYaml } from '../../src/engine/eslint-config.js';

describe('ESLint configuration read as data', () => {
  it('JSON: off, 0 and ["off", ...] at the top level; overrides are per-file and left out', () => {
    const json = JSON.stringify({
      extends: 'standard',
      rules: { 'no-var': 'off', radix: 0, eqeqeq: ['off', 'smart'], 'no-eval': 'error', quotes: [2, 'single'], 'no-debugger': 'warn' },
      overrides: [{ files: ['test/**'], rules: { 'no-unused-expressions': 'off' } }],
    });
    expect(rulesOffInJsonOrYaml(json)).toEqual(['eqeqeq', 'no-var', 'radix']);
  });

  it('JSON with comments (.eslintrc.json as ESLint reads it)', () => {
    expect(rulesOffInJsonOrYaml('{\n  // legacy code base\n  "rules": { "no-var": 0, },\n}\n')).toEqual(['no-var']);
  });

  it('YAML (.eslintrc.yml, or .eslintrc without extension)', () => {
    expect(rulesOffInJsonOrYaml('env:\n  node: true\nrules:\n  no-empty: off\n  no-await-in-loop: 0\n  eqeqeq: [error, always]\n')).toEqual(['no-await-in-loop', 'no-empty']);
  });

  it('package.json eslintConfig data', () => {
    expect(rulesOffInData({ rules: { 'no-prototype-builtins': 'off' } })).toEqual(['no-prototype-builtins']);
    expect(rulesOffInData(['not', 'an', 'object'])).toEqual([]);
  });

  it('flat config: all-files objects count in order, `files` objects do not, computed parts are ignored', () => {
    const text = `import js from '@eslint/js';
const shared = { 'no-eval': 'off' };
export default [
  js.configs.recommended,
  { rules: { 'no-var': 'off', radix: 0, 'no-empty': ['off'], [dynamicName]: 'off', ...shared, eqeqeq: level } },
  { files: ['test/**'], rules: { 'no-await-in-loop': 'off' } },
  { ignores: ['dist/'], rules: { radix: 'error' } },
];
`;
    expect(rulesOffInJavaScript(text, 'javascript')).toEqual(['no-empty', 'no-var']);
  });

  it('a `files` list of every-file globs still applies project-wide', () => {
    const text = "module.exports = defineConfig({ files: ['**/*.{cjs,js,mjs}'], rules: { 'no-var': 'off' } }, { files: ['lib/**/*.js'], rules: { radix: 'off' } });\n";
    expect(rulesOffInJavaScript(text, 'javascript')).toEqual(['no-var']);
  });

  it('legacy .eslintrc.js and a TypeScript flat config', () => {
    expect(rulesOffInJavaScript("module.exports = { root: true, rules: { 'no-var': 0 }, overrides: [{ files: ['*.ts'], rules: { radix: 'off' } }] };", 'javascript')).toEqual(['no-var']);
    expect(rulesOffInJavaScript("import tseslint from 'typescript-eslint';\nexport default tseslint.config({ rules: { '@typescript-eslint/no-explicit-any': 'off' as const } }, { rules: { 'no-throw-literal': 'off' } });\n", 'typescript')).toEqual(['no-throw-literal']);
  });
});
