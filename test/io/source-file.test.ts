import { describe, expect, it } from 'vitest';
import { decodeSource, encodeSource, looksBinary, withFileEol } from '../../src/io/source-file.js';
import type { TextEncodingInfo } from '../../src/io/source-file.js';

const BOM = [0xef, 0xbb, 0xbf];

function bytesOf(text: string, bom = false): Uint8Array {
  const body = Buffer.from(text, 'utf8');
  return bom ? new Uint8Array([...BOM, ...body]) : new Uint8Array(body);
}

function decoded(bytes: Uint8Array): { text: string; info: TextEncodingInfo } {
  const result = decodeSource(bytes);
  if (!result.ok) throw new Error(`expected ${JSON.stringify([...bytes])} to decode, got ${result.reason}`);
  return result;
}

describe('decodeSource / encodeSource', () => {
  it.each([
    { name: 'plain UTF-8', bytes: bytesOf('const a = 1;\nconst b = 2;\n'), text: 'const a = 1;\nconst b = 2;\n', bom: false, eol: '\n' },
    { name: 'UTF-8 with BOM', bytes: bytesOf('let x;\n', true), text: 'let x;\n', bom: true, eol: '\n' },
    { name: 'CRLF', bytes: bytesOf('a();\r\nb();\r\n'), text: 'a();\r\nb();\r\n', bom: false, eol: '\r\n' },
    { name: 'CRLF with BOM', bytes: bytesOf('a();\r\nb();\r\n', true), text: 'a();\r\nb();\r\n', bom: true, eol: '\r\n' },
    { name: 'mixed endings, mostly CRLF', bytes: bytesOf('a\r\nb\nc\r\nd\r\n'), text: 'a\r\nb\nc\r\nd\r\n', bom: false, eol: '\r\n' },
    { name: 'mixed endings, mostly LF', bytes: bytesOf('a\nb\r\nc\nd\n'), text: 'a\nb\r\nc\nd\n', bom: false, eol: '\n' },
    { name: 'mixed endings, a tie', bytes: bytesOf('a\r\nb\n'), text: 'a\r\nb\n', bom: false, eol: '\n' },
    { name: 'lone CRs', bytes: bytesOf('a\rb\r'), text: 'a\rb\r', bom: false, eol: '\n' },
    { name: 'emoji and non-ASCII', bytes: bytesOf("const s = 'héllo wörld 日本 🪳👩‍💻';\n"), text: "const s = 'héllo wörld 日本 🪳👩‍💻';\n", bom: false, eol: '\n' },
    { name: 'an empty file', bytes: new Uint8Array(0), text: '', bom: false, eol: '\n' },
    { name: 'a file holding only a BOM', bytes: new Uint8Array(BOM), text: '', bom: true, eol: '\n' },
    { name: 'a BOM after the first one', bytes: bytesOf('\uFEFFx', true), text: '\uFEFFx', bom: true, eol: '\n' },
    { name: 'no final newline', bytes: bytesOf('x'), text: 'x', bom: false, eol: '\n' },
  ])('$name: decodes and encodes back byte for byte', ({ bytes, text, bom, eol }) => {
    const result = decoded(bytes);
    expect(result.text).toBe(text);
    expect(result.info).toEqual({ bom, eol });
    expect(Buffer.from(encodeSource(result.text, result.info)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('keeps the BOM when encoding an edited text', () => {
    const { text, info } = decoded(bytesOf('a\r\n', true));
    const encoded = encodeSource(`${text}b${withFileEol('\n', info)}`, info);
    expect([...encoded]).toEqual([...bytesOf('a\r\nb\r\n', true)]);
  });

  it('measures offsets in the decoded text, without the BOM', () => {
    const { text } = decoded(bytesOf('eval(x)', true));
    expect(text.indexOf('eval')).toBe(0);
  });

  it.each([
    { name: 'a NUL byte', bytes: new Uint8Array([0x61, 0x00, 0x62]) },
    { name: 'a NUL byte after a BOM', bytes: new Uint8Array([...BOM, 0x00]) },
    { name: 'UTF-16LE text', bytes: new Uint8Array([0xff, 0xfe, 0x61, 0x00]) },
    { name: 'a NUL at the end of the sniffed range', bytes: new Uint8Array([...new Uint8Array(7999).fill(0x61), 0x00]) },
  ])('refuses $name as binary', ({ bytes }) => {
    expect(looksBinary(bytes)).toBe(true);
    expect(decodeSource(bytes)).toMatchObject({ ok: false, reason: 'binary' });
  });

  it('does not call a file binary for a NUL past the first 8000 bytes', () => {
    const bytes = new Uint8Array([...new Uint8Array(8000).fill(0x61), 0x00]);
    expect(looksBinary(bytes)).toBe(false);
    const result = decodeSource(bytes);
    expect(result.ok).toBe(true);
  });

  it.each([
    { name: 'a stray continuation byte', bytes: [0x61, 0x80, 0x62] },
    { name: 'a truncated sequence', bytes: [0x61, 0xc3] },
    { name: 'an overlong encoding', bytes: [0xc0, 0xaf] },
    { name: 'an encoded surrogate', bytes: [0xed, 0xa0, 0x80] },
    { name: 'a byte never valid in UTF-8', bytes: [0xff] },
    { name: 'Latin-1 text', bytes: [...Buffer.from('caf'), 0xe9, 0x0a] },
    { name: 'invalid bytes after a BOM', bytes: [...BOM, 0xfe] },
  ])('refuses invalid UTF-8 ($name) instead of replacing it', ({ bytes }) => {
    expect(decodeSource(new Uint8Array(bytes))).toMatchObject({ ok: false, reason: 'invalid-utf8' });
  });
});

describe('withFileEol', () => {
  const lf: TextEncodingInfo = { bom: false, eol: '\n' };
  const crlf: TextEncodingInfo = { bom: false, eol: '\r\n' };

  it.each([
    { name: 'LF file keeps LF', text: 'a\nb\n', info: lf, expected: 'a\nb\n' },
    { name: 'LF file keeps CRLF it was given', text: 'a\r\nb', info: lf, expected: 'a\r\nb' },
    { name: 'CRLF file converts LF', text: 'a\nb\n', info: crlf, expected: 'a\r\nb\r\n' },
    { name: 'CRLF file does not double CRLF', text: 'a\r\nb\n', info: crlf, expected: 'a\r\nb\r\n' },
    { name: 'CRLF file, text without newlines', text: 'abc', info: crlf, expected: 'abc' },
    { name: 'CRLF file, consecutive newlines', text: '\n\n', info: crlf, expected: '\r\n\r\n' },
  ])('$name', ({ text, info, expected }) => {
    expect(withFileEol(text, info)).toBe(expected);
  });
});
