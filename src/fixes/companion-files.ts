import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CompanionLine, Edit } from '../domain/finding.js';
import { contentHash } from '../domain/fingerprint.js';
import { applyEdits } from '../engine/fixer.js';
import { decodeSource, encodeSource, NEW_FILE_INFO, withFileEol } from '../io/source-file.js';
import type { TextEncodingInfo } from '../io/source-file.js';
import type { FixFileRecord } from './ports.js';
import type { FileChange } from './write-fix.js';

/** A file other than the finding's that a fix adds lines to, as it is when the fix is decided. */
interface CompanionState {
  readonly exists: boolean;
  readonly text: string;
  readonly bytes: Uint8Array;
  readonly info: TextEncodingInfo;
}

/** One companion file of one fix: its edit, the record that lets it be rolled back, and the write. */
export interface CompanionChange {
  readonly path: string;
  readonly edits: readonly Edit[];
  readonly before: string;
  readonly after: string;
  readonly record: FixFileRecord;
  readonly change: FileChange;
}

/** Whether one of the file's lines starts with `prefix` (leading white space and `export ` aside, as dotenv reads them). */
function hasLine(text: string, prefix: string): boolean {
  return text.split(/\r?\n/).some((line) => line.trimStart().replace(/^export\s+/, '').startsWith(prefix));
}

/**
 * The companion files of one fix pass (issue 14: a fix's second file): read from the project when a fix
 * first needs them, and moved on as fixes adding lines to them are applied, so that the next fix's
 * lines are appended to what the file holds then and a line already there is not added twice.
 * Returns null from `changesFor` when a companion file cannot take lines (binary, not UTF-8, a
 * directory, outside the project): a fix without its second file is not the fix the rule meant.
 */
export class CompanionFiles {
  private readonly states = new Map<string, CompanionState | null>();

  constructor(private readonly root: string) {}

  private async state(file: string): Promise<CompanionState | null> {
    const known = this.states.get(file);
    if (known !== undefined) return known;
    const state = await this.read(file);
    this.states.set(file, state);
    return state;
  }

  private async read(file: string): Promise<CompanionState | null> {
    const absolute = path.resolve(this.root, file);
    if (!absolute.startsWith(path.resolve(this.root) + path.sep)) return null;
    const stat = await lstat(absolute).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? 'missing' : null));
    if (stat === 'missing') return { exists: false, text: '', bytes: new Uint8Array(), info: NEW_FILE_INFO };
    if (!stat || !stat.isFile()) return null;
    const bytes = await readFile(absolute).catch(() => null);
    const decoded = bytes ? decodeSource(bytes) : null;
    return bytes && decoded?.ok ? { exists: true, text: decoded.text, bytes, info: decoded.info } : null;
  }

  /** The changes that add a fix's companion lines to their files as they are now; null when one cannot. */
  async changesFor(lines: readonly CompanionLine[]): Promise<CompanionChange[] | null> {
    const changes: CompanionChange[] = [];
    for (const file of new Set(lines.map((line) => line.file))) {
      const state = await this.state(file);
      if (!state) return null;
      const missing = lines.filter((line) => line.file === file && !hasLine(state.text, line.presentWhen));
      if (missing.length === 0) continue;
      changes.push(companionChange(file, state, missing));
    }
    return changes;
  }

  /** Records that a fix's companion changes were written: the next fix sees the files as they are now. */
  written(changes: readonly CompanionChange[]): void {
    for (const change of changes) {
      this.states.set(change.path, { exists: true, text: change.after, bytes: change.change.newBytes, info: decodeInfo(change.change.newBytes) });
    }
  }
}

function decodeInfo(bytes: Uint8Array): TextEncodingInfo {
  const decoded = decodeSource(bytes);
  return decoded.ok ? decoded.info : NEW_FILE_INFO;
}

/** The edit that appends `added` (whole lines) to a file holding `current`, after the line break its last line may lack, in its line endings. */
export function appendEdit(file: string, current: string, info: TextEncodingInfo, added: string): Edit {
  const separator = current === '' || current.endsWith('\n') ? '' : '\n';
  return { file, start: current.length, end: current.length, text: withFileEol(`${separator}${added}`, info) };
}

/** The lines appended at the end of the file. */
function companionChange(file: string, state: CompanionState, lines: readonly CompanionLine[]): CompanionChange {
  const edits: Edit[] = [appendEdit(file, state.text, state.info, lines.map((line) => `${line.line}\n`).join(''))];
  const after = applyEdits(state.text, edits);
  const newBytes = encodeSource(after, state.info);
  const originalSha256 = contentHash(state.bytes);
  return {
    path: file,
    edits,
    before: state.text,
    after,
    record: { path: file, originalBytes: state.bytes, originalSha256, fixedSha256: contentHash(newBytes), ...(state.exists ? {} : { created: true }) },
    change: { path: file, expectedSha256: originalSha256, newBytes, restoreBytes: state.bytes, ...(state.exists ? {} : { create: true }) },
  };
}
