import { beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../src/domain/finding.js';
import { PARSE_ERROR_RULE, analyzeSource } from '../../src/engine/analyze.js';
import { typescriptSyntaxErrors } from '../../src/engine/grammar-gap.js';
import { loadRules } from '../../src/engine/rules.js';
import type { RuleSet } from '../../src/engine/rules.js';

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadRules();
});

// Real constructs our tree-sitter grammars misparse, found on the development corpus (got, trpc, zod, fastify).
const GAPS: { name: string; text: string; file: string; language: Language }[] = [
  { name: '`export type *` (TypeScript 5.0, got and trpc)', text: "export type * from './types';\nexport type * as T from './t';\n", file: 'src/index.ts', language: 'typescript' },
  { name: 'variance annotations `<in out T>` (zod)', text: 'export interface ZodType<out Output = unknown, in T = never> {\n  x: Output;\n}\n', file: 'src/schemas.ts', language: 'typescript' },
  { name: 'a generic function type as a type argument `<<T>(x: T) => T>` (fastify)', text: 'expect(f).type.toBe<<Code extends number>(code: Code) => Code>();\n', file: 'test/a.tst.ts', language: 'typescript' },
  { name: 'a JSX attribute string holding `&name=` in a .jsx file', text: 'export const A = () => <a href="https://x.dev/?a=b&c=d">x</a>;\n', file: 'src/footer.jsx', language: 'javascript' },
  { name: 'a JSX attribute string holding `&name=` (trpc)', text: 'export const A = () => <a href="https://x.dev/?utm_source=trpc&utm_campaign=oss">x</a>;\n', file: 'src/footer.tsx', language: 'tsx' },
];

describe('grammar gaps (via analyzeSource)', () => {
  it.each(GAPS)('reports $name as a grammar gap, not a parse error', ({ text, file, language }) => {
    const result = analyzeSource({ text, file, language, rules });
    expect(result.syntaxProblems.length).toBeGreaterThan(0);
    expect(result.findings.filter((f) => f.ruleId === PARSE_ERROR_RULE)).toEqual([]);
    expect(result.grammarGap).toContain('the TypeScript compiler parses the file without syntax errors');
    expect(result.grammarGap).toContain(`the ${language} grammar reports`);
  });

  it('still runs the rules on the parts the grammar parsed', () => {
    const result = analyzeSource({ text: "export type * from './types';\nfunction f() {\n  debugger;\n}\n", file: 'src/a.ts', language: 'typescript', rules });
    expect(result.grammarGap).toBeDefined();
    expect(result.findings.map((f) => f.ruleId)).toContain('js/no-debugger');
  });

  it.each([
    { name: 'a missing parenthesis', text: 'foo(1;\n', file: 'a.js', language: 'javascript' as const },
    { name: 'TypeScript syntax in a JavaScript file', text: "export type * from './types';\n", file: 'a.js', language: 'javascript' as const },
    { name: 'an unfinished arrow function', text: 'export const broken = (;\n', file: 'a.ts', language: 'typescript' as const },
    { name: 'a stray token in TSX', text: 'const a = <div>{</div>;\n', file: 'a.tsx', language: 'tsx' as const },
  ])('keeps $name a parse error: the TypeScript compiler rejects it too', ({ text, file, language }) => {
    const result = analyzeSource({ text, file, language, rules });
    expect(result.grammarGap).toBeUndefined();
    expect(result.findings.filter((f) => f.ruleId === PARSE_ERROR_RULE)).toHaveLength(1);
  });

  it('does not ask the TypeScript compiler about Python: its own parser is asked per crawl', () => {
    const result = analyzeSource({ text: 'def f(:\n  pass\n', file: 'a.py', language: 'python', rules });
    expect(result.grammarGap).toBeUndefined();
    expect(result.findings.filter((f) => f.ruleId === PARSE_ERROR_RULE)).toHaveLength(1);
  });
});

describe('typescriptSyntaxErrors', () => {
  it('parses JSX in .js files and type syntax only in TypeScript', () => {
    expect(typescriptSyntaxErrors('const a = <div>{x}</div>;\n', 'a.js', 'javascript')).toBe(0);
    expect(typescriptSyntaxErrors('const a: number = 1;\n', 'a.ts', 'typescript')).toBe(0);
    // TypeScript-only syntax is a syntax error in a JavaScript file, as tsc reports it.
    expect(typescriptSyntaxErrors('const a: number = 1;\n', 'a.js', 'javascript')).toBeGreaterThan(0);
    expect(typescriptSyntaxErrors("export type * from './t';\n", 'a.js', 'javascript')).toBeGreaterThan(0);
    expect(typescriptSyntaxErrors('let = ;\n', 'a.js', 'javascript')).toBeGreaterThan(0);
  });
});
