import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { V8Range } from './v8-coverage.js';

/**
 * Python's part of the tests' evidence: when the project's test command is a plain pytest, unittest or
 * Django `manage.py test` invocation and coverage.py is importable where it runs, the command runs under
 * `coverage run` (measuring the project's own folder only) and its line data is turned into the same ranges as V8's block coverage: each statement
 * line (executed or missing) holds the text up to the next statement line, so a continuation line counts
 * as its statement. Without coverage.py the command runs as it is and Python fixes are not measured.
 */

const SHELL_OPERATOR = /[;&|<>`$()]/;
const PYTEST = /^(?:py\.test|pytest)(?<rest>\s.*)?$/;
const PYTHON_MODULE = /^(?<python>(?:\S*\/)?python(?:3(?:\.\d+)?)?)\s+-m\s+(?<module>pytest|unittest)(?<rest>\s.*)?$/;
const DJANGO = /^(?<python>(?:\S*\/)?python(?:3(?:\.\d+)?)?)\s+(?<script>\S*manage\.py)\s+test(?<rest>\s.*)?$/;

/** The file coverage.py writes its JSON report to, in the run's coverage folder. */
export const PYTHON_COVERAGE_JSON = 'python-coverage.json';

/**
 * The test command wrapped in `coverage run` (falling back to the command as it is when coverage.py is
 * not importable), keeping the tests' exit status; null when the command is not one this recognises.
 */
export function withPythonCoverage(command: string, dir: string): string | null {
  const trimmed = command.trim();
  if (SHELL_OPERATOR.test(trimmed)) return null;
  const match = PYTEST.exec(trimmed) ?? PYTHON_MODULE.exec(trimmed) ?? DJANGO.exec(trimmed);
  if (!match?.groups) return null;
  const { python = 'python3', module = 'pytest', script, rest = '' } = match.groups;
  const target = script ? `${script} test` : `-m ${module}`;
  const data = quote(path.join(dir, '.coverage'));
  const json = quote(path.join(dir, PYTHON_COVERAGE_JSON));
  return (
    `if ${python} -c 'import coverage' >/dev/null 2>&1; then ` +
    `${python} -m coverage run --source=. --data-file=${data} ${target}${rest}; status=$?; ` +
    `${python} -m coverage json --data-file=${data} -o ${json} -q >/dev/null 2>&1; exit $status; ` +
    `else ${trimmed}; fi`
  );
}

function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

interface PythonFileLines {
  readonly executed_lines?: readonly number[];
  readonly missing_lines?: readonly number[];
}

/**
 * Adds the line data of coverage.py's JSON report (if the run wrote one) for the `texts` it names (paths
 * relative to `root`, their text in that run) to `coverage`, as one more process; false when there was none.
 */
export async function addPythonCoverage(dir: string, root: string, texts: ReadonlyMap<string, string>, coverage: Map<string, (readonly V8Range[])[]>): Promise<boolean> {
  let files: Record<string, PythonFileLines>;
  try {
    files = (JSON.parse(await readFile(path.join(dir, PYTHON_COVERAGE_JSON), 'utf8')) as { files?: Record<string, PythonFileLines> }).files ?? {};
  } catch {
    return false;
  }
  for (const [name, lines] of Object.entries(files)) {
    const file = path.relative(root, path.resolve(root, name)).split(path.sep).join('/');
    const text = texts.get(file);
    if (text === undefined) continue;
    coverage.set(file, [...(coverage.get(file) ?? []), statementRanges(text, lines)]);
  }
  return true;
}

/** Each statement line's range, from its start to the next statement line's start; count 1 when it ran. */
function statementRanges(text: string, lines: PythonFileLines): V8Range[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const executed = new Set(lines.executed_lines ?? []);
  const statements = [...new Set([...(lines.executed_lines ?? []), ...(lines.missing_lines ?? [])])].sort((a, b) => a - b);
  return statements.map((line, index) => {
    const next = statements[index + 1];
    return {
      startOffset: starts[line - 1] ?? text.length,
      endOffset: next !== undefined ? (starts[next - 1] ?? text.length) : text.length,
      count: executed.has(line) ? 1 : 0,
    };
  });
}
