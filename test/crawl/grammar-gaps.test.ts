import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/finding.js';
import { PARSE_ERROR_RULE } from '../../src/engine/analyze.js';
import { goCheck, pythonCheck, withGrammarGaps } from '../../src/crawl/grammar-gaps.js';
import type { ParserCheck } from '../../src/crawl/grammar-gaps.js';
import type { FileOutcome } from '../../src/crawl/analyze-file.js';
import { goDirective } from '../../src/crawl/go-version.js';

const hasPython = ((): boolean => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'roach-gaps-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function parseError(file: string): Finding {
  return {
    ruleId: PARSE_ERROR_RULE,
    severity: 'low',
    category: 'bug',
    cwe: null,
    message: 'File does not parse as python: unexpected syntax at line 2, column 1 (1 syntax problem); rules ran on the recoverable parts only.',
    file,
    language: 'python',
    range: { startLine: 1, startColumn: 0, endLine: 1, endColumn: 1, startOffset: 0, endOffset: 1 },
    snippet: 'x',
    fingerprint: `fp-${file}`,
    patternFingerprint: 'p',
    shape: 'python',
    bindings: {},
    templateFix: null,
  };
}

/** A stand-in parser that accepts the texts holding "ok". */
const fake: ParserCheck = { language: 'python', name: 'the fake parser', accepts: (texts) => Promise.resolve(texts.map((t) => t.includes('ok'))) };

describe('withGrammarGaps', () => {
  it("drops the parse error of a file the language's parser accepts, lists it as a gap, and keeps the others", async () => {
    await writeFile(path.join(root, 'good.py'), 'ok = 1\n');
    await writeFile(path.join(root, 'bad.py'), 'def f(:\n');
    const other: Finding = { ...parseError('good.py'), ruleId: 'py/other' };
    const result = await withGrammarGaps(root, [], [parseError('good.py'), parseError('bad.py'), other], [fake]);
    expect(result.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(['bad.py parse-error', 'good.py py/other']);
    expect(result.gaps).toEqual([
      { path: 'good.py', detail: 'the python grammar reports unexpected syntax at line 2, column 1 (1 syntax problem), but the fake parser parses the file without syntax errors: not reported as a parse error; rules ran on the parts the grammar parsed' },
    ]);
  });

  it("keeps only the parse error of a file the language's parser rejects too: the file cannot run", async () => {
    await writeFile(path.join(root, 'bad.py'), 'def f(:\n');
    await writeFile(path.join(root, 'good.py'), 'ok = 1\n');
    const inBad: Finding = { ...parseError('bad.py'), ruleId: 'py/other' };
    const inGood: Finding = { ...parseError('good.py'), ruleId: 'py/other' };
    const result = await withGrammarGaps(root, [], [parseError('bad.py'), inBad, inGood], [fake]);
    expect(result.findings.map((f) => `${f.file} ${f.ruleId}`)).toEqual(['bad.py parse-error', 'good.py py/other']);
    expect(result.findings[0]?.message).toBe("File does not parse as python: unexpected syntax at line 2, column 1 (1 syntax problem); the language's own parser agrees, so no other rule ran on the file.");
  });

  it('keeps the parse errors and the other findings when the parser is not on the machine, and lists gaps the analysis found', async () => {
    await writeFile(path.join(root, 'good.py'), 'ok = 1\n');
    const missing: ParserCheck = { ...fake, accepts: () => Promise.reject(Object.assign(new Error('spawn python3 ENOENT'), { code: 'ENOENT' })) };
    const outcomes: FileOutcome[] = [{ path: 'src/a.ts', status: 'analyzed', sha256: 'x', findings: [], syntaxProblems: 2, grammarGap: 'the typescript grammar reports ...' }];
    const result = await withGrammarGaps(root, outcomes, [parseError('good.py'), { ...parseError('good.py'), ruleId: 'py/other' }], [missing]);
    expect(result.findings).toHaveLength(2);
    expect(result.gaps).toEqual([{ path: 'src/a.ts', detail: 'the typescript grammar reports ...' }]);
  });
});

describe('a Go module newer than the grammar, without gofmt', () => {
  const goError = (file: string): Finding => ({ ...parseError(file), language: 'go', message: 'File does not parse as go: unexpected syntax at line 3, column 9 (1 syntax problem); rules ran on the recoverable parts only.' });
  const noGofmt: ParserCheck = { language: 'go', name: 'gofmt', accepts: () => Promise.reject(Object.assign(new Error('spawn gofmt ENOENT'), { code: 'ENOENT' })) };

  it('lists the parse error of a module that declares a newer Go as a gap, and keeps one of an older module', async () => {
    await mkdir(path.join(root, 'new/internal'), { recursive: true });
    await mkdir(path.join(root, 'old'), { recursive: true });
    await writeFile(path.join(root, 'new/go.mod'), 'module example.com/new\n\n// a comment\ngo 1.26.0\n');
    await writeFile(path.join(root, 'new/internal/a.go'), 'package internal\n\nvar p = new("x")\n');
    await writeFile(path.join(root, 'old/go.mod'), 'module example.com/old\n\ngo 1.22\n');
    await writeFile(path.join(root, 'old/b.go'), 'package old\n\nfunc f( {\n');
    await writeFile(path.join(root, 'c.go'), 'package c\n\nfunc f( {\n');
    const result = await withGrammarGaps(root, [], [goError('new/internal/a.go'), goError('old/b.go'), goError('c.go')], [noGofmt]);
    expect(result.findings.map((f) => f.file)).toEqual(['old/b.go', 'c.go']);
    expect(result.gaps.map((g) => g.path)).toEqual(['new/internal/a.go']);
    expect(result.gaps[0]?.detail).toContain('its go.mod declares Go 1.26');
  });

  it('reads the go directive of a go.mod', () => {
    expect(goDirective('module m\n\ngo 1.26.0\n\nrequire x v1\n')).toEqual({ major: 1, minor: 26 });
    expect(goDirective('module m\n')).toBeNull();
  });
});

describe.skipIf(!hasPython)('pythonCheck', () => {
  it('answers per text with ast.parse, in one process', async () => {
    expect(await pythonCheck.accepts(['x = 1\n', 'def f(:\n', 'match x:\n    case [a, *r]:\n        pass\n', '\u0000'])).toEqual([true, false, true, false]);
  });
});

describe('goCheck', () => {
  const path0 = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path0;
  });

  it('runs gofmt -e per text, a non-zero exit meaning a syntax error', async () => {
    // A stand-in gofmt on PATH: fails when its input holds "bad".
    await writeFile(path.join(root, 'gofmt'), '#!/bin/sh\nif grep -q bad; then exit 2; fi\ncat >/dev/null\n');
    await chmod(path.join(root, 'gofmt'), 0o755);
    process.env.PATH = `${root}:${path0 ?? ''}`;
    expect(await goCheck.accepts(['package a\n', 'package bad(\n'])).toEqual([true, false]);
  });

  it('rejects when gofmt is not on the machine, so the parse errors stay', async () => {
    process.env.PATH = path.join(root, 'empty');
    await expect(goCheck.accepts(['package a\n'])).rejects.toThrow();
  });
});
