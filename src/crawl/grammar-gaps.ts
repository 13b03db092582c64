import { execFile } from 'node:child_process';
import path from 'node:path';
import type { Finding, Language } from '../domain/finding.js';
import { BROKEN_NOTE, PARSE_ERROR_RULE, RECOVERED_NOTE } from '../engine/analyze.js';
import type { GrammarGap } from '../engine/grammar-gap.js';
import { ignoreError } from '../domain/ignore-error.js';
import { readProjectFile } from '../io/project-file.js';
import { decodeSource } from '../io/source-file.js';
import type { FileOutcome } from './analyze-file.js';
import { GRAMMAR_GO_VERSION, newerGoDeclared } from './go-version.js';

export type { GrammarGap } from '../engine/grammar-gap.js';

/**
 * A language's own parser, run outside the analysis threads on the few files whose parse the grammar
 * failed: one child process per crawl and language. `accepts` answers per text, in order: true when
 * the parser accepts it; it throws when the parser is not on this machine (today's verdict then stands).
 */
export interface ParserCheck {
  readonly language: Language;
  readonly name: string;
  readonly accepts: (texts: readonly string[]) => Promise<boolean[]>;
}

/** Child processes get the bare environment a parser needs: no project or service secrets. */
function parserEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'PYENV_ROOT', 'PYENV_VERSION', 'LANG']) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

/**
 * Parses (never runs) each text with `ast.parse`; any exception, a RecursionError on deep nesting
 * included, counts as "not accepted". `-I`: isolated mode, no PYTHON* variables, no user site.
 */
const PYTHON_SCRIPT = [
  'import ast, json, sys',
  'out = []',
  'for text in json.load(sys.stdin):',
  '    try:',
  '        ast.parse(text)',
  '        out.append(True)',
  '    except BaseException:',
  '        out.append(False)',
  'json.dump(out, sys.stdout)',
].join('\n');

const PARSER_TIMEOUT_MS = 60_000;

function runWithInput(command: string, args: readonly string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { env: parserEnv(), timeout: PARSER_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) reject(error instanceof Error ? error : new Error(`${command} failed`));
      else resolve(stdout);
    });
    // A parser that is missing or exits early closes its input: the callback above reports that.
    child.stdin?.on('error', ignoreError('the child process failed; its exit is reported through the execFile callback'));
    child.stdin?.end(input);
  });
}

export const pythonCheck: ParserCheck = {
  language: 'python',
  name: "Python's own parser (python3 ast.parse)",
  accepts: async (texts) => {
    const answer = JSON.parse(await runWithInput('python3', ['-I', '-c', PYTHON_SCRIPT], JSON.stringify(texts))) as unknown;
    if (!Array.isArray(answer) || answer.length !== texts.length) throw new Error('python3 gave an unexpected answer');
    return answer.map((accepted) => accepted === true);
  },
};

/** `gofmt -e` reads one file on stdin and exits non-zero on a syntax error; one process per file (they are few). */
export const goCheck: ParserCheck = {
  language: 'go',
  name: "Go's own parser (gofmt -e)",
  accepts: async (texts) => {
    const answers: boolean[] = [];
    for (const text of texts) {
      const accepted = await runWithInput('gofmt', ['-e'], text).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === 'ENOENT') throw error;
          return false;
        },
      );
      answers.push(accepted);
    }
    return answers;
  },
};

export const DEFAULT_PARSER_CHECKS: readonly ParserCheck[] = [pythonCheck, goCheck];

export interface GrammarGapResult {
  /** The findings without the parse errors the language's own parser contradicted. */
  readonly findings: Finding[];
  readonly gaps: GrammarGap[];
}

/**
 * Grammar gaps of a crawl: those the analysis already recognised (JavaScript/TypeScript, through the
 * TypeScript compiler), and Python/Go files with a `parse-error` finding that their own parser accepts,
 * whose finding is then dropped. A file the parser rejects too keeps its parse error alone. A parser
 * that is missing or fails leaves the findings as they were.
 */
export async function withGrammarGaps(
  root: string,
  outcomes: readonly FileOutcome[],
  findings: readonly Finding[],
  checks: readonly ParserCheck[] = DEFAULT_PARSER_CHECKS,
): Promise<GrammarGapResult> {
  const gaps: GrammarGap[] = [];
  for (const outcome of outcomes) if (outcome.status === 'analyzed' && outcome.grammarGap) gaps.push({ path: outcome.path, detail: outcome.grammarGap });
  const accepted = new Set<string>();
  // Files their own parser rejects as well: they cannot run, so only the parse error is reported (as for JavaScript).
  const rejected = new Set<string>();
  for (const check of checks) {
    const candidates = findings.filter((f) => f.ruleId === PARSE_ERROR_RULE && f.language === check.language);
    if (candidates.length === 0) continue;
    const texts = await Promise.all(candidates.map((f) => readProjectFile(root, path.join(root, f.file)).then((bytes) => decodeSource(bytes), () => null)));
    const readable = candidates.flatMap((finding, i) => {
      const decoded = texts[i];
      return decoded?.ok ? [{ finding, text: decoded.text }] : [];
    });
    const answers = await check.accepts(readable.map((r) => r.text)).catch(ignoreError("the parser is not on this machine or failed: the grammar's verdict stands"));
    if (!answers && check.language === 'go') {
      // Without Go's own parser: a module that declares a Go newer than the grammar knows may use its syntax.
      for (const { finding } of readable) {
        const declared = await newerGoDeclared(root, finding.file);
        if (declared === null) continue;
        accepted.add(finding.file);
        gaps.push({ path: finding.file, detail: `the go grammar (Go ${GRAMMAR_GO_VERSION.major}.${GRAMMAR_GO_VERSION.minor}) cannot parse the file, and its go.mod declares Go ${declared}, whose newer syntax the grammar does not know (gofmt is not on this machine to confirm): not reported as a parse error; rules ran on the parts the grammar parsed` });
      }
    }
    if (!answers) continue;
    readable.forEach(({ finding }, i) => {
      if (!answers[i]) {
        rejected.add(finding.file);
        return;
      }
      accepted.add(finding.file);
      const grammar = finding.message.replace(/^File does not parse as [a-z]+: /, '').replace(`; ${RECOVERED_NOTE}`, '');
      gaps.push({ path: finding.file, detail: `the ${check.language} grammar reports ${grammar}, but ${check.name} parses the file without syntax errors: not reported as a parse error; rules ran on the parts the grammar parsed` });
    });
  }
  const kept = findings.flatMap((f): Finding[] => {
    if (f.ruleId === PARSE_ERROR_RULE) return accepted.has(f.file) ? [] : rejected.has(f.file) ? [{ ...f, message: f.message.replace(RECOVERED_NOTE, BROKEN_NOTE) }] : [f];
    return rejected.has(f.file) ? [] : [f];
  });
  return { findings: kept, gaps: gaps.sort((a, b) => a.path.localeCompare(b.path)) };
}
