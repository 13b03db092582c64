import type { SourceRange } from '../domain/finding.js';

/** Offsets of each line start in a text, to turn the (line, column) pairs tools report into offsets. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 0-based line and UTF-16 column to an offset, clamped to the text. */
  offsetOf(line: number, column: number): number {
    const lineIndex = Math.min(Math.max(line, 0), this.starts.length - 1);
    const start = this.starts[lineIndex] ?? 0;
    const next = this.starts[lineIndex + 1] ?? this.text.length + 1;
    return Math.min(start + Math.max(column, 0), next - 1, this.text.length);
  }

  rangeOf(startOffset: number, endOffset: number): SourceRange {
    const start = this.position(startOffset);
    const end = this.position(Math.max(endOffset, startOffset));
    return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column, startOffset: start.offset, endOffset: end.offset };
  }

  /** The text of the line holding `offset`, without its line break. */
  lineText(offset: number): string {
    const { line } = this.position(offset);
    const start = this.starts[line] ?? 0;
    const next = this.starts[line + 1] ?? this.text.length + 1;
    return this.text.slice(start, next - 1).replace(/\r$/, '');
  }

  private position(offset: number): { line: number; column: number; offset: number } {
    const clamped = Math.min(Math.max(offset, 0), this.text.length);
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, column: clamped - (this.starts[low] ?? 0), offset: clamped };
  }
}

/** A UTF-8 byte offset (what Rust tools such as oxlint report) to a UTF-16 offset in the same text. */
export function utf16OffsetOfByte(text: string, byteOffset: number): number {
  return Buffer.from(text, 'utf8').subarray(0, byteOffset).toString('utf8').length;
}
