import { createRequire } from 'node:module';
import type * as TypeScript from 'typescript';
import type { Language } from '../domain/finding.js';
import type { SyntaxProblem } from './syntax-problem.js';

/**
 * A file the tree-sitter grammar could not parse completely but that the language's own parser
 * accepts: the grammar trails the language (`export type * from './t'` of TypeScript 5.0, variance
 * annotations `<in out T>`), so the syntax problems are ours, not the user's. Reported as a grammar
 * gap with this detail, never as a `parse-error` finding; the rules still ran on the parts that parsed.
 */
export interface GrammarGap {
  readonly path: string;
  readonly detail: string;
}

let typescript: typeof TypeScript | null = null;

/**
 * Loaded on first use only: most files parse cleanly, and loading the compiler costs every analysis
 * thread ~100 ms and tens of MiB for nothing. A synchronous require, because the analysis is synchronous.
 */
function loadTypeScript(): typeof TypeScript {
  typescript ??= createRequire(import.meta.url)('typescript') as typeof TypeScript;
  return typescript;
}

function scriptKindOf(ts: typeof TypeScript, file: string, language: Language): TypeScript.ScriptKind {
  const lower = file.toLowerCase();
  if (language === 'tsx') return ts.ScriptKind.TSX;
  if (language === 'typescript') return ts.ScriptKind.TS;
  return lower.endsWith('.jsx') ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
}

/** The languages whose own parser runs inside the analysis (the others are confirmed per crawl, see crawl/grammar-gaps.ts). */
export function hasInThreadParser(language: Language): boolean {
  return language === 'javascript' || language === 'typescript' || language === 'tsx';
}

/**
 * Hands the emitter an empty file. `transpileModule` collects its diagnostics (syntactic and options)
 * before it emits, and a JavaScript emit adds none of its own (only declaration emit does), so the
 * count is the same; but emitting a large file (down-levelled to ES5) cost seconds, for output we drop.
 * `noEmit` cannot skip it: transpileModule overrides that option.
 */
function emptyEmit(ts: typeof TypeScript): TypeScript.CustomTransformers {
  return { before: [() => (source) => ts.factory.updateSourceFile(source, [])] };
}

/**
 * The TypeScript compiler's syntax errors for a JavaScript/TypeScript file (no type check).
 * `parseDiagnostics` is the parser's own list, not in the public typings, hence the narrow cast. The
 * parser also accepts TypeScript-only syntax in a JavaScript file (type annotations, `export type`),
 * which tsc reports as syntax errors of the program: for JavaScript, once the parser is content, the
 * single-file program of `transpileModule` gives those too (only for files the grammar failed on).
 */
export function typescriptSyntaxErrors(text: string, file: string, language: Language): number {
  const ts = loadTypeScript();
  const kind = scriptKindOf(ts, file, language);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const diagnostics = (source as unknown as { readonly parseDiagnostics?: readonly unknown[] }).parseDiagnostics;
  // Unknown shape (a future compiler): we cannot tell, so the grammar's verdict stands.
  if (diagnostics === undefined) return 1;
  if (diagnostics.length > 0 || (kind !== ts.ScriptKind.JS && kind !== ts.ScriptKind.JSX)) return diagnostics.length;
  const fileName = kind === ts.ScriptKind.JSX ? 'file.jsx' : 'file.js';
  const program = ts.transpileModule(text, { fileName, reportDiagnostics: true, compilerOptions: { allowJs: true, jsx: ts.JsxEmit.Preserve }, transformers: emptyEmit(ts) });
  return program.diagnostics?.length ?? 0;
}

/** Where the grammar first failed and how often, for gap details and parse-error messages alike. */
export function describeProblems(problems: readonly SyntaxProblem[]): string {
  const first = problems[0];
  if (!first) return 'no syntax problem';
  const where = `line ${first.range.startLine + 1}, column ${first.range.startColumn + 1}`;
  const what = first.kind === 'missing' ? `missing "${first.expected}"` : 'unexpected syntax';
  return `${what} at ${where} (${problems.length} syntax problem${problems.length === 1 ? '' : 's'})`;
}

/** The detail of a grammar gap: what our grammar stumbled on, and which parser accepted the file. */
export function grammarGapDetail(language: Language, problems: readonly SyntaxProblem[], parser: string): string {
  return `the ${language} grammar reports ${describeProblems(problems)}, but ${parser} parses the file without syntax errors: not reported as a parse error; rules ran on the parts the grammar parsed`;
}

/**
 * For a JavaScript/TypeScript file with syntax problems: a gap detail when the TypeScript compiler
 * parses it cleanly, else null (the problems are real, or the language has no in-thread parser).
 */
export function inThreadGrammarGap(text: string, file: string, language: Language, problems: readonly SyntaxProblem[]): string | null {
  if (problems.length === 0 || !hasInThreadParser(language)) return null;
  return typescriptSyntaxErrors(text, file, language) === 0 ? grammarGapDetail(language, problems, 'the TypeScript compiler') : null;
}
