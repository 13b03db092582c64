import { execFile, execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { addPythonCoverage, PYTHON_COVERAGE_JSON, withPythonCoverage } from '../../src/validation/python-coverage.js';
import { linesRan } from '../../src/validation/v8-coverage.js';
import type { V8Range } from '../../src/validation/v8-coverage.js';
import { cleanupTemp, tempDir, tempTree } from '../helpers/project.js';

afterAll(cleanupTemp);

/** A Python with coverage.py, if this machine has one (Debian's python3-coverage). */
const PYTHON = ['/usr/bin/python3', 'python3'].find((python) => {
  try {
    execFileSync(python, ['-c', 'import coverage, pytest'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
});

const LIB = 'def used(x):\n    return (x +\n            1)\n\n\ndef unused(x):\n    return x - 1\n';

describe('Python coverage of a test run', () => {
  it('wraps plain pytest, unittest and manage.py test runs, and nothing else', () => {
    for (const command of ['pytest -q tests/', 'python3 -m pytest', '/usr/bin/python3 -m unittest discover', 'python manage.py test app', 'py.test']) {
      expect(withPythonCoverage(command, '/c')).toMatch(/-m coverage run --source=\. --data-file='\/c\/\.coverage' /);
    }
    expect(withPythonCoverage('python manage.py test app', '/c')).toContain("--data-file='/c/.coverage' manage.py test app;");
    for (const command of ['make test', 'pytest && echo ok', 'tox -e py311', 'npm test', 'pytest $ARGS']) expect(withPythonCoverage(command, '/c')).toBeNull();
  });

  it("turns coverage.py's statement lines into ranges: a continuation line counts as its statement", async () => {
    const dir = await tempDir('roach-pycov-');
    await writeFile(path.join(dir, PYTHON_COVERAGE_JSON), JSON.stringify({ files: { 'lib.py': { executed_lines: [1, 2, 6], missing_lines: [7] } } }));
    const coverage = new Map<string, (readonly V8Range[])[]>();
    expect(await addPythonCoverage(dir, '/project', new Map([['lib.py', LIB]]), coverage)).toBe(true);
    const evidence = { coverage, transformed: new Set<string>(), python: true, projectScripts: 0 };
    expect(linesRan('lib.py', [LIB.indexOf('1)')], evidence).result).toBe('ran');
    expect(linesRan('lib.py', [LIB.indexOf('x - 1')], evidence).result).toBe('not-ran');
    expect(linesRan('other.py', [0], evidence).result).toBe('not-ran');
    expect(linesRan('lib.py', [0], { ...evidence, python: false })).toMatchObject({ result: 'not-measured', detail: expect.stringContaining('coverage.py') });
    expect(await addPythonCoverage(await tempDir('roach-pycov-'), '/project', new Map(), coverage)).toBe(false);
  });

  it.skipIf(PYTHON === undefined)('measures a real pytest run and keeps its exit status (needs coverage.py and pytest)', async () => {
    const root = await tempTree('roach-pycov-', { 'lib.py': LIB, 'test_lib.py': 'from lib import used\n\n\ndef test_used():\n    assert used(1) == 2\n' });
    const dir = path.join(root, '.cov');
    await mkdir(dir);
    const run = promisify(execFile);
    await run('/bin/sh', ['-c', withPythonCoverage(`${PYTHON ?? ''} -m pytest -q -p no:cacheprovider`, dir) ?? ''], { cwd: root });
    const coverage = new Map<string, (readonly V8Range[])[]>();
    expect(await addPythonCoverage(dir, root, new Map([['lib.py', LIB]]), coverage)).toBe(true);
    const evidence = { coverage, transformed: new Set<string>(), python: true, projectScripts: 0 };
    expect(linesRan('lib.py', [LIB.indexOf('1)')], evidence).result).toBe('ran');
    expect(linesRan('lib.py', [LIB.indexOf('x - 1')], evidence).result).toBe('not-ran');
    await writeFile(path.join(root, 'test_fail.py'), 'def test_fails():\n    assert False\n');
    await expect(run('/bin/sh', ['-c', withPythonCoverage(`${PYTHON ?? ''} -m pytest -q -p no:cacheprovider`, dir) ?? ''], { cwd: root })).rejects.toMatchObject({ code: 1 });
  });
});
