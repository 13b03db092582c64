/** How a file's bytes were turned into text, so that writing it back keeps every byte we did not edit. */
export interface TextEncodingInfo {
  readonly bom: boolean;
  /** The dominant line ending, used for new lines a fix inserts. */
  readonly eol: '\n' | '\r\n';
}

export type DecodeResult =
  | { readonly ok: true; readonly text: string; readonly info: TextEncodingInfo }
  | { readonly ok: false; readonly reason: 'binary' | 'invalid-utf8'; readonly detail: string };

const BINARY_SNIFF_BYTES = 8000;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];
}

/** Like git: a NUL byte in the first 8000 bytes means binary. */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0);
}

function dominantEol(text: string): '\n' | '\r\n' {
  let crlf = 0;
  let lf = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    if (i > 0 && text.charCodeAt(i - 1) === 13) crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}

/** Decodes UTF-8 (with or without BOM) strictly: invalid sequences are refused, never replaced. */
export function decodeSource(bytes: Uint8Array): DecodeResult {
  if (looksBinary(bytes)) return { ok: false, reason: 'binary', detail: 'contains NUL bytes' };
  const bom = hasUtf8Bom(bytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bom ? bytes.subarray(3) : bytes);
  } catch {
    return { ok: false, reason: 'invalid-utf8', detail: 'not valid UTF-8' };
  }
  return { ok: true, text, info: { bom, eol: dominantEol(text) } };
}

/** Encodes text back with the BOM it had. Round-trips exactly: encodeSource(decodeSource(b)) equals b. */
export function encodeSource(text: string, info: TextEncodingInfo): Uint8Array {
  const body = new TextEncoder().encode(text);
  if (!info.bom) return body;
  const out = new Uint8Array(body.length + 3);
  out.set(UTF8_BOM, 0);
  out.set(body, 3);
  return out;
}

/** Makes the line breaks a fix inserts match the file's own (CRLF files stay CRLF). */
export function withFileEol(insertedText: string, info: TextEncodingInfo): string {
  if (info.eol === '\n') return insertedText;
  return insertedText.replace(/\r?\n/g, '\r\n');
}

/** How a file a fix creates is written: UTF-8 without BOM, `\n` line breaks. */
export const NEW_FILE_INFO: TextEncodingInfo = Object.freeze({ bom: false, eol: '\n' });
