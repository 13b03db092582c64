import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { approveFix, rollbackFix } from '../../src/fixes/fix-actions.js';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { crawlDir, inProject } from '../helpers/crawl.js';
import { cleanupTemp, roach, tempTree } from '../helpers/project.js';

afterAll(cleanupTemp);

// Two findings of one rule whose fix is unsafe (js/no-map-parse-int): alone it waits in review. The
// project's tests call parseAll, never parseLegacy, so only the first fix's changed line runs.
const LIB = `'use strict';

function parseAll(texts) {
  return texts.map(parseInt);
}

function parseLegacy(texts) {
  return texts.map(parseInt);
}

module.exports = { parseAll, parseLegacy };
`;

const TEST = `'use strict';
const assert = require('node:assert/strict');
const { test } = require('node:test');
const { parseAll } = require('../lib.js');

test('parses one number', () => {
  assert.deepEqual(parseAll(['7']), [7]);
});
`;

describe('evidence from the tests, with coverage (--validate-with-tests)', () => {
  it('applies the unsafe fix whose changed line ran in the passing tests and queues the one whose line did not, saying why', async () => {
    const dir = await tempTree('roach-coverage-', {
      'package.json': JSON.stringify({ name: 'cov', private: true, scripts: { test: 'node --test test/' } }),
      'lib.js': LIB,
      'test/lib.test.js': TEST,
    });
    const report = await crawlDir(dir, { apply: true, validateWithTests: true });
    const byLine = new Map(report.fixes.filter((f) => f.ruleId === 'js/no-map-parse-int').map((f) => [f.line, f]));
    expect(byLine.get(4)?.decision).toBe('applied');
    expect(byLine.get(8)?.decision).toBe('queued');
    expect(byLine.get(8)?.reason).toMatch(/the tests passed but did not execute the changed lines of lib\.js/);
    expect([byLine.get(4)?.tests?.linesRan, byLine.get(8)?.tests?.linesRan]).toEqual(['ran', 'not-ran']);
    const text = await readFile(path.join(dir, 'lib.js'), 'utf8');
    expect(text).toContain('function parseAll(texts) {\n  return texts.map((text) => parseInt(text, 10));');
    expect(text).toContain('function parseLegacy(texts) {\n  return texts.map(parseInt);');

    const fixes = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['applied', 'pending']));
    const applied = fixes.find((f) => f.status === 'applied');
    const pending = fixes.find((f) => f.status === 'pending');
    expect(applied?.validation.find((s) => s.step === 'coverage')).toMatchObject({ passed: true });
    // unsafe template prior q10(Beta(3, 3)) = 0.2466; the covered run: 1 - (1 - 0.2466) * 0.12
    expect(applied?.confidence).toBe(0.9096);
    expect(pending?.validation.find((s) => s.step === 'coverage')).toMatchObject({ passed: false });
    expect(pending?.confidence).toBeLessThan(0.9);
  });

  it('says on stderr which test command runs for which batch; a spent test budget leaves the fixes unchecked', async () => {
    const files = {
      'package.json': JSON.stringify({ name: 'cov', private: true, scripts: { test: 'node --test test/' } }),
      'lib.js': LIB,
      'test/lib.test.js': TEST,
    };
    const dir = await tempTree('roach-coverage-', files);
    const cli = await roach(['crawl', dir, '--validate-with-tests', '--format', 'json']);
    expect(cli.stderr).toContain('validating with no fix applied: npm test --silent');
    expect(cli.stderr).toMatch(/validating a batch of 2 fix\(es\): npm test --silent/);

    const spent = await tempTree('roach-coverage-', { ...files, '.roach.yml': 'validation:\n  testBudgetMs: 1\n' });
    const report = await crawlDir(spent, { apply: true, validateWithTests: true });
    expect(report.fixes.map((f) => f.decision)).toEqual(['queued', 'queued']);
    const fixes = await inProject(spent, (deps) => deps.store.listFixes(deps.project, ['pending']));
    expect(fixes.every((f) => f.validation.some((s) => /time budget .* was spent/.test(s.detail)))).toBe(true);
  });
});

const PYTHON_WITH_COVERAGE = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import coverage, pytest'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const TOKEN_MODULE = (name: string): string =>
  `import random\nimport string\n\n\ndef ${name}():\n    reset_token = "".join(random.choices(string.ascii_letters, k=32))\n    return reset_token\n`;

describe('evidence from a Python suite (coverage.py)', () => {
  it.skipIf(!PYTHON_WITH_COVERAGE)('applies the multi-edit fix whose lines pytest ran; queues the one in a module it never imported (needs coverage.py and pytest)', async () => {
    const dir = await tempTree('roach-pycoverage-', {
      '.roach.yml': 'validation:\n  testCommand: /usr/bin/python3 -m pytest -q -p no:cacheprovider\n',
      'tokens.py': TOKEN_MODULE('new_token'),
      'legacy.py': TOKEN_MODULE('old_token'),
      'test_tokens.py': 'from tokens import new_token\n\n\ndef test_length():\n    assert len(new_token()) == 32\n',
    });
    const report = await crawlDir(dir, { apply: true, validateWithTests: true });
    const byFile = new Map(report.fixes.filter((f) => f.ruleId === 'py/no-insecure-random').map((f) => [f.file, f]));
    expect(byFile.get('tokens.py')?.decision).toBe('applied');
    expect(byFile.get('legacy.py')?.decision).toBe('queued');
    expect(byFile.get('legacy.py')?.reason).toMatch(/the tests passed but did not execute the changed lines of legacy\.py/);
    expect(await readFile(path.join(dir, 'tokens.py'), 'utf8')).toBe(
      'import random\nimport string\nimport secrets\n\n\ndef new_token():\n    reset_token = "".join(secrets.SystemRandom().choices(string.ascii_letters, k=32))\n    return reset_token\n',
    );
  });
});

describe('a multi-edit security fix', () => {
  it('is applied and rolled back as one unit: the import it adds and the call it rewrites', async () => {
    const original = '"""Password reset codes."""\nimport string\nimport random\n\n\ndef new_reset_code():\n    reset_token = "".join(random.choices(string.ascii_letters, k=32))\n    return reset_token\n';
    const dir = await tempTree('roach-multi-edit-', { 'app/codes.py': original });
    const report = await crawlDir(dir, { apply: true });
    const fix = report.fixes.find((f) => f.ruleId === 'py/no-insecure-random');
    // unsafe and unproven by tests: it waits for a reviewer
    expect(fix?.decision).toBe('queued');
    const file = path.join(dir, 'app/codes.py');
    expect(await readFile(file, 'utf8')).toBe(original);

    const approved = await inProject(dir, (deps) => approveFix(deps, fix?.fixId ?? '', 'tester'));
    expect(approved.status).toBe('applied');
    expect(approved.edits).toHaveLength(2);
    expect(await readFile(file, 'utf8')).toBe(
      '"""Password reset codes."""\nimport string\nimport random\nimport secrets\n\n\ndef new_reset_code():\n    reset_token = "".join(secrets.SystemRandom().choices(string.ascii_letters, k=32))\n    return reset_token\n',
    );

    const rolledBack = await inProject(dir, (deps) => rollbackFix(deps, fix?.fixId ?? '', 'tester'));
    expect(rolledBack.status).toBe('rolled_back');
    expect(await readFile(file, 'utf8')).toBe(original);
  });
});
