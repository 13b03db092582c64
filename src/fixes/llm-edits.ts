import type { Edit } from '../domain/finding.js';
import type { AnsweredEdit } from './ports.js';

/**
 * A model's edits made into the fixer's edits (issue 15 point 2): each edit names exact text of the file
 * (`find`) and what replaces it. An anchor that does not occur exactly once, an edit of another file, edits
 * that overlap, or an answer that changes nothing: the whole answer is dropped with the reason, never
 * applied in part.
 */

export type AnchoredEdits = { readonly edits: readonly Edit[] } | { readonly dropped: string };

const GUTTER = /^[> ]\s*\d+ \| /;
const FENCED = /^\s*```[\w-]*\n([\s\S]*?)\n```\s*$/;

/** Text with what models add around code removed: a Markdown fence, the line-number gutter of the prompt. */
export function cleanedCode(answer: string): string {
  const fenced = FENCED.exec(answer);
  const body = fenced ? (fenced[1] as string) : answer;
  const lines = body.split('\n');
  return lines.some((line) => GUTTER.test(line)) && lines.every((line) => line === '' || GUTTER.test(line)) ? lines.map((line) => line.replace(GUTTER, '')).join('\n') : body;
}

/** Every index at which `needle` occurs in `haystack`, up to two (one is all an anchor may have). */
function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  let at = haystack.indexOf(needle);
  while (at !== -1 && found.length < 2) {
    found.push(at);
    at = haystack.indexOf(needle, at + 1);
  }
  return found;
}

const preview = (text: string): string => JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);

/** The fixer's edits for the answer, in file order, or why the answer is dropped. */
export function anchoredEdits(source: string, file: string, answered: readonly AnsweredEdit[]): AnchoredEdits {
  if (answered.length === 0) return { dropped: 'the answer has no edit' };
  // a file with CRLF line ends: the model writes LF, the anchors are matched and the edits written in CRLF
  const crlf = source.includes('\r\n');
  const lineEnds = (text: string): string => (crlf && !text.includes('\r\n') ? text.replaceAll('\n', '\r\n') : text);
  const edits: Edit[] = [];
  for (const edit of answered) {
    if (edit.file && edit.file !== file) return { dropped: `an edit of ${edit.file}, outside the files this fix may change (${file})` };
    const find = lineEnds(cleanedCode(edit.find));
    const replace = lineEnds(cleanedCode(edit.replace));
    if (find.trim() === '') return { dropped: 'an edit with an empty anchor' };
    const at = occurrences(source, find);
    if (at.length === 0) return { dropped: `the anchor ${preview(find)} is not in ${file}` };
    if (at.length > 1) return { dropped: `the anchor ${preview(find)} occurs more than once in ${file}` };
    const start = at[0] as number;
    if (find !== replace) edits.push({ file, start, end: start + find.length, text: replace });
  }
  if (edits.length === 0) return { dropped: 'the answer changes nothing' };
  edits.sort((a, b) => a.start - b.start);
  for (let i = 1; i < edits.length; i++) {
    if ((edits[i] as Edit).start < (edits[i - 1] as Edit).end) return { dropped: 'two edits of the answer overlap' };
  }
  return { edits };
}
