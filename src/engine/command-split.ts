import type { SgNode } from '@ast-grep/napi';
import type { Edit } from '../domain/finding.js';
import { builtStringParts } from './string-parts.js';
import type { Part } from './string-parts.js';

/**
 * A shell command built from values made a program and an argument list (issue 14: a taint fix breaks the
 * path): `exec(`git log ${ref}`)` becomes `execFile('git', ['log', ref])`, where no shell reads the value,
 * so it stays one argument whatever it holds. Only a command the shell would split the same way is taken
 * apart: words of plain characters (no quotes, variables, globs, redirections, pipes or `;`), the program
 * a literal word, each value spliced inside a word (`--out=${file}` stays one argument). The callback and
 * options keep their places: `execFile` and `execFileSync` take them after the argument list.
 */

/** Characters a POSIX shell passes on as they are in a word. */
const PLAIN_WORD = /^[A-Za-z0-9_./:=@%+,-]*$/;
const RUNNERS: Readonly<Record<string, string>> = { exec: 'execFile', execSync: 'execFileSync' };
const CHILD_PROCESS = /^['"](node:)?child_process['"]$/;

/** One argument: literal text and values, in order. */
type Word = Part[];

/** The command's words, split at spaces; null when the shell would read any of it otherwise. */
function wordsOf(parts: readonly Part[]): Word[] | null {
  const words: Word[] = [[]];
  for (const part of parts) {
    if ('value' in part) {
      (words[words.length - 1] as Word).push(part);
      continue;
    }
    const pieces = part.text.split(' ');
    for (const [index, piece] of pieces.entries()) {
      if (!PLAIN_WORD.test(piece)) return null;
      if (index > 0) words.push([]);
      if (piece !== '') (words[words.length - 1] as Word).push({ text: piece });
    }
  }
  return words.filter((word) => word.length > 0);
}

const quoted = (text: string, quote: string): string => `${quote}${text}${quote}`;

/** A word as JavaScript: a string, a value alone, or a template literal of both. */
function wordCode(word: Word, quote: string): string {
  if (word.length === 1 && 'value' in (word[0] as Part)) return (word[0] as { value: SgNode }).value.text();
  if (word.every((part) => 'text' in part)) return quoted(word.map((part) => (part as { text: string }).text).join(''), quote);
  return `\`${word.map((part) => ('text' in part ? part.text : `\${${part.value.text()}}`)).join('')}\``;
}

/** Where the file's own import or require of child_process binds `name` (not a promisified copy); null: nowhere. */
function childProcessBinding(root: SgNode, name: string): SgNode | null {
  for (const statement of root.children()) {
    const required = statement.find({ rule: { kind: 'string', inside: { kind: 'arguments', inside: { kind: 'call_expression', regex: '^require\\(' } } } });
    const source = statement.kind() === 'import_statement' ? statement.field('source')?.text() : required?.text();
    if (!source || !CHILD_PROCESS.test(source)) continue;
    const binding = statement.find({ rule: { any: [{ kind: 'shorthand_property_identifier_pattern' }, { kind: 'identifier', inside: { kind: 'import_specifier' }, not: { follows: { regex: '^as$' } } }], regex: `^${name}$` } });
    if (binding) return binding;
  }
  return null;
}

/** The runner's new name and where it is written; null for runners this does not rewrite. */
function runnerOf(call: SgNode): { node: SgNode; name: string; bare: boolean } | null {
  const callee = call.field('function');
  if (!callee) return null;
  if (callee.kind() === 'identifier') {
    const name = RUNNERS[callee.text()];
    return name && childProcessBinding(call.getRoot().root(), callee.text()) ? { node: callee, name, bare: true } : null;
  }
  const property = callee.field('property');
  const object = callee.field('object');
  const name = property ? RUNNERS[property.text()] : undefined;
  // the module itself, not shelljs or execa, whose exec is another function
  if (!name || !property || !object || !/^(child_process|childProcess|cp)$|^require\(['"](node:)?child_process['"]\)$/.test(object.text())) return null;
  return { node: property, name, bare: false };
}

/** The binding of the new runner next to the old one (`{ exec }` → `{ exec, execFile }`), unless the file has it. */
function importEdit(root: SgNode, old: string, name: string, file: string): Edit | null | undefined {
  if (childProcessBinding(root, name)) return null;
  const binding = childProcessBinding(root, old);
  if (!binding) return undefined;
  // `import { exec }`: the specifier; `const { exec } = …`: the pattern
  const at = (binding.kind() === 'identifier' ? (binding.parent() ?? binding) : binding).range().end.index;
  return { file, start: at, end: at, text: `, ${name}` };
}

/**
 * The edits that run `call`'s command without a shell (the runner renamed, the command split, and a bare
 * runner's import extended); null when the command or the call leave doubt.
 */
export function splitCommandEdits(call: SgNode, command: SgNode, file: string, quote: "'" | '"'): Edit[] | null {
  const runner = runnerOf(call);
  const parts = runner ? builtStringParts(command) : null;
  if (!runner || !parts || !parts.some((part) => 'value' in part)) return null;
  const words = wordsOf(parts);
  const program = words?.[0];
  if (!words || !program || !program.every((part) => 'text' in part)) return null;
  const args = words.slice(1).map((word) => wordCode(word, quote));
  const range = (node: SgNode, text: string): Edit => ({ file, start: node.range().start.index, end: node.range().end.index, text });
  const edits = [range(runner.node, runner.name), range(command, `${wordCode(program, quote)}, [${args.join(', ')}]`)];
  if (!runner.bare) return edits;
  const added = importEdit(call.getRoot().root(), runner.node.text(), runner.name, file);
  if (added === undefined) return null;
  return added ? [added, ...edits] : edits;
}
