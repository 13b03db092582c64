import { afterAll, describe, expect, it } from 'vitest';
import { ES5, ES_NEXT } from '../../src/domain/es-edition.js';
import { configuredTargetOf, describeTarget, detectProjectTarget, lowestOf } from '../../src/crawl/project-target.js';
import { cleanupTemp, tempTree } from '../helpers/project.js';

afterAll(cleanupTemp);

/** A project folder holding the given files (paths relative to it). */
const project = (files: Record<string, string>): Promise<string> => tempTree('roach-target-', files);

async function detect(files: Record<string, string>): Promise<{ edition: number | null; source: string | null }> {
  const { edition, source } = await detectProjectTarget(await project(files));
  return { edition, source };
}

describe('tsconfig.json', () => {
  it('reads compilerOptions.target from JSON with comments and trailing commas', async () => {
    expect(await detect({ 'tsconfig.json': '{\n  // emitted for Node 12\n  "compilerOptions": { "target": "ES2019", },\n}\n' })).toEqual({ edition: 2019, source: 'tsconfig.json compilerOptions.target' });
  });

  it('follows extends to a relative file, the nearest target winning', async () => {
    const base = '{ "compilerOptions": { "target": "es2017", "strict": true } }';
    expect(await detect({ 'tsconfig.json': '{ "extends": "./configs/base.json", "compilerOptions": {} }', 'configs/base.json': base })).toEqual({ edition: 2017, source: 'configs/base.json compilerOptions.target' });
    expect(await detect({ 'tsconfig.json': '{ "extends": "./configs/base", "compilerOptions": { "target": "es2020" } }', 'configs/base.json': base })).toEqual({ edition: 2020, source: 'tsconfig.json compilerOptions.target' });
  });

  it('follows extends to a package under node_modules, and the last of an extends list wins', async () => {
    const files = {
      'tsconfig.json': '{ "extends": ["@acme/tsconfig", "@acme/tsconfig/node16.json"] }',
      'node_modules/@acme/tsconfig/package.json': '{ "name": "@acme/tsconfig", "tsconfig": "base.json" }',
      'node_modules/@acme/tsconfig/base.json': '{ "compilerOptions": { "target": "es2015" } }',
      'node_modules/@acme/tsconfig/node16.json': '{ "compilerOptions": { "target": "es2021" } }',
    };
    expect(await detect(files)).toEqual({ edition: 2021, source: 'node_modules/@acme/tsconfig/node16.json compilerOptions.target' });
    expect(await detect({ ...files, 'tsconfig.json': '{ "extends": "@acme/tsconfig" }' })).toEqual({ edition: 2015, source: 'node_modules/@acme/tsconfig/base.json compilerOptions.target' });
  });

  it('declares nothing without a target, for an extends out of the project, or in a loop', async () => {
    expect(await detect({ 'tsconfig.json': '{ "compilerOptions": { "lib": ["es2015", "dom"], "noEmit": true } }' })).toEqual({ edition: null, source: null });
    expect(await detect({ 'tsconfig.json': '{ "extends": "../outside.json" }' })).toEqual({ edition: null, source: null });
    expect(await detect({ 'tsconfig.json': '{ "extends": "./a.json" }', 'a.json': '{ "extends": "./tsconfig.json" }' })).toEqual({ edition: null, source: null });
  });
});

describe('ESLint configuration', () => {
  it('reads parserOptions.ecmaVersion from .eslintrc.json (comments allowed)', async () => {
    expect(await detect({ '.eslintrc.json': '{ /* legacy */ "env": { "es2022": true }, "parserOptions": { "ecmaVersion": 2018 } }' })).toEqual({ edition: 2018, source: '.eslintrc.json parserOptions.ecmaVersion' });
  });

  it('reads ESLint short ecmaVersion numbers and env.esXXXX from YAML', async () => {
    expect(await detect({ '.eslintrc.yml': 'parserOptions:\n  ecmaVersion: 9\n' })).toEqual({ edition: 2018, source: '.eslintrc.yml parserOptions.ecmaVersion' });
    expect(await detect({ '.eslintrc.yaml': 'env:\n  es6: true\n  es2017: true\n  es2020: false\n' })).toEqual({ edition: 2017, source: '.eslintrc.yaml env.es2017' });
  });

  it('reads package.json eslintConfig', async () => {
    expect(await detect({ 'package.json': JSON.stringify({ eslintConfig: { parserOptions: { ecmaVersion: 5 } } }) })).toEqual({ edition: ES5, source: 'package.json eslintConfig parserOptions.ecmaVersion' });
  });

  it('reads a JavaScript legacy config as data, without running it', async () => {
    const text = "throw new Error('never run');\nmodule.exports = { env: { browser: true, es2018: true }, parserOptions: { 'ecmaVersion': 2018, sourceType: 'module' } };\n";
    expect(await detect({ '.eslintrc.cjs': text })).toEqual({ edition: 2018, source: '.eslintrc.cjs parserOptions.ecmaVersion' });
    expect(await detect({ '.eslintrc.js': 'module.exports = { env: { es2017: true, node: true } };\n' })).toEqual({ edition: 2017, source: '.eslintrc.js env.es2017' });
  });

  it('takes the lowest literal ecmaVersion of a flat config, which wins over legacy files', async () => {
    const flat = "export default [\n  { files: ['**/*.js'], languageOptions: { ecmaVersion: 2022 } },\n  { files: ['legacy/**'], languageOptions: { ecmaVersion: 2019 } },\n  { languageOptions: { ecmaVersion: 'latest' } },\n];\n";
    expect(await detect({ 'eslint.config.mjs': flat, '.eslintrc.json': '{ "parserOptions": { "ecmaVersion": 5 } }' })).toEqual({ edition: 2019, source: 'eslint.config.mjs languageOptions.ecmaVersion' });
    expect(await detect({ 'eslint.config.js': "import neostandard from 'neostandard';\nexport default neostandard({ ts: true });\n" })).toEqual({ edition: null, source: null });
  });
});

describe('browserslist', () => {
  it('resolves the package.json field with the browserslist package', async () => {
    const target = await detect({ 'package.json': JSON.stringify({ browserslist: ['chrome >= 80', 'safari >= 13.1', 'firefox >= 115'] }) });
    expect(target).toEqual({ edition: 2019, source: 'package.json browserslist (oldest: safari 13.1)' });
  });

  it('reads the production section of .browserslistrc, Node entries included', async () => {
    const target = await detect({ '.browserslistrc': '# supported\n[production]\nnode >= 14\nchrome >= 100\n\n[development]\nlast 1 chrome version\n' });
    expect(target).toEqual({ edition: 2020, source: '.browserslistrc (oldest: node 14.0.0)' });
  });

  it('never resolves a query that reads files (extends would load a package) and survives queries it does not know', async () => {
    await expect(detect({ 'package.json': JSON.stringify({ browserslist: ['extends ./evil-config'] }) })).resolves.toEqual({ edition: null, source: null });
    await expect(detect({ '.browserslistrc': 'no such browser 12\n' })).resolves.toEqual({ edition: null, source: null });
    await expect(detect({ '.browserslistrc': 'ie 11\nextends browserslist-config-acme\n' })).resolves.toEqual({ edition: ES5, source: '.browserslistrc (oldest: ie 11)' });
    await expect(detect({ '.browserslistrc': 'browserslist config\n> 1% in my stats\nchrome 100\n' })).resolves.toEqual({ edition: 2022, source: '.browserslistrc (oldest: chrome 100)' });
  });
});

describe('engines.node', () => {
  it('maps the lowest admitted Node version to its edition', async () => {
    expect(await detect({ 'package.json': JSON.stringify({ engines: { node: '^14.17.0 || >=16' } }) })).toEqual({ edition: 2020, source: 'package.json engines.node "^14.17.0 || >=16" (Node 14.17.0)' });
    expect(await detect({ 'package.json': JSON.stringify({ engines: { node: '>=4.0.0' } }) })).toEqual({ edition: ES5, source: 'package.json engines.node ">=4.0.0" (Node 4.0.0)' });
  });
});

describe('the effective target', () => {
  it('is the lowest declared, with every declaration kept', async () => {
    const dir = await project({
      'tsconfig.json': '{ "compilerOptions": { "target": "es2022" } }',
      '.eslintrc.json': '{ "parserOptions": { "ecmaVersion": 2018 } }',
      'package.json': JSON.stringify({ engines: { node: '>=18' }, browserslist: 'chrome >= 100' }),
    });
    const target = await detectProjectTarget(dir);
    expect(describeTarget(target)).toBe('ES2018 (from .eslintrc.json parserOptions.ecmaVersion)');
    expect(target.declared.map((d) => d.edition).sort()).toEqual([2018, 2022, 2022, 2022]);
  });

  it('is unknown when nothing is declared', async () => {
    const target = await detectProjectTarget(await project({ 'package.json': '{ "name": "plain" }', 'index.js': 'module.exports = 1;\n' }));
    expect(target).toEqual({ edition: null, source: null, declared: [] });
    expect(describeTarget(target)).toMatch(/^unknown/);
  });

  it('is what .roach.yml sets, whatever the project declares', async () => {
    const dir = await project({ '.eslintrc.json': '{ "parserOptions": { "ecmaVersion": 2018 } }' });
    expect(await detectProjectTarget(dir, 2022)).toMatchObject({ edition: 2022, source: '.roach.yml target' });
    expect(configuredTargetOf('auto')).toBe('auto');
    expect(configuredTargetOf('esnext')).toBe(ES_NEXT);
    expect(configuredTargetOf('es2019')).toBe(2019);
  });

  it('keeps the first of equally low declarations', () => {
    expect(lowestOf([{ edition: 2020, source: 'a' }, { edition: 2020, source: 'b' }]).source).toBe('a');
  });
});
