import { describe, expect, it } from 'vitest';
import { looksLikeTestCode } from '../../src/engine/test-framework.js';

describe('looksLikeTestCode', () => {
  it.each([
    ["import test from 'node:test';\n", 'javascript'],
    ["const t = require('tap');\n", 'javascript'],
    ["import { describe, it } from 'vitest';\n", 'typescript'],
    ["const assert = require('node:assert/strict');\n", 'javascript'],
    ["import request from 'supertest';\nconst x = <div/>;\n", 'tsx'],
    ["describe('parser', () => {\n  it('parses', () => {});\n});\n", 'javascript'],
    ["test('adds', async () => {});\n", 'typescript'],
  ] as const)('recognises test code: %j', (code, language) => {
    expect(looksLikeTestCode(code, language)).toBe(true);
  });

  it.each([
    ["import express from 'express';\nconst app = express();\n", 'javascript'],
    ["const it = items[Symbol.iterator]();\nit.next();\n", 'javascript'],
    ["// import test from 'node:test'\nconst s = \"require('tap')\";\n", 'javascript'],
    ['import assert\n', 'python'],
  ] as const)('leaves production code alone: %j', (code, language) => {
    expect(looksLikeTestCode(code, language)).toBe(false);
  });
});
