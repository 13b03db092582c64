import { parse } from '@ast-grep/napi';
import type { SgNode } from '@ast-grep/napi';
import type { Language } from '../domain/finding.js';
import { astGrepLang } from './languages.js';

/** Modules only test code imports: runners, assertion and mocking libraries, HTTP test clients. */
const TEST_MODULES: ReadonlySet<string> = new Set([
  'assert', 'node:assert', 'assert/strict', 'node:assert/strict', 'node:test', 'mocha', 'chai', 'sinon', 'tap', 'tape', 'ava',
  'jest', '@jest/globals', 'vitest', 'uvu', 'uvu/assert', 'supertest', 'nock', 'tsd', 'expect', 'should', '@playwright/test',
  'cypress', 'borp', 'testdouble', 'proxyquire', 'expect-type',
]);

/** Calls a test runner's globals make: `describe('x', () => ...)`, `it(...)`, `test(...)`, `suite(...)`. */
const RUNNER_CALLS = ['describe', 'it', 'test', 'suite'].map((name) => ({ rule: { pattern: `${name}($TITLE, $$$REST)` } }));

function stringValue(node: SgNode | null): string | null {
  if (!node || node.kind() !== 'string') return null;
  return node.text().slice(1, -1);
}

function importsTestModule(root: SgNode): boolean {
  const imported = root.findAll({ rule: { kind: 'import_statement' } }).map((node) => stringValue(node.field('source')));
  const required = root.findAll({ rule: { pattern: 'require($MODULE)' } }).map((node) => stringValue(node.getMatch('MODULE')));
  return [...imported, ...required].some((name) => name !== null && TEST_MODULES.has(name));
}

/**
 * Whether a JavaScript or TypeScript file is test code by what it does: it imports a test runner or
 * assertion library, or calls a runner's globals with a title string. Used for files whose name only
 * suggests a test (`test.js`, `server-test.js`); other languages answer by path alone (`_test.go`,
 * `test_*.py`), so they are never test code here.
 */
export function looksLikeTestCode(text: string, language: Language): boolean {
  if (language !== 'javascript' && language !== 'typescript' && language !== 'tsx') return false;
  const root = parse(astGrepLang(language), text).root();
  if (importsTestModule(root)) return true;
  return RUNNER_CALLS.some((call) => root.findAll(call).some((node) => stringValue(node.getMatch('TITLE')) !== null));
}
