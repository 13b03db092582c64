import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as editorConfigOf } from 'editorconfig';
import { parse as parseYaml } from 'yaml';
import type { DeclaredStyle, IndentUnit, ProjectFixStyle, QuoteStyle, SemicolonStyle } from '../engine/fix-style.js';

/**
 * The style a project declares for its fixes to follow where a file shows none of its own (issue 14:
 * fixes in the project's style): its EditorConfig (`indent_style`, `indent_size`, and the common
 * `quote_type`), resolved by the editorconfig library for each kind of source file and never read above
 * the project root, then its Prettier configuration (`useTabs`, `tabWidth`, `singleQuote`, `semi`), read as
 * data from `.prettierrc`, `.prettierrc.json|yaml|yml` or package.json's `prettier` key (a JavaScript config
 * is never run). EditorConfig wins where both speak; it has no semicolon property. Unreadable or malformed
 * files declare nothing.
 */

const EXTENSIONS = ['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts', '.py', '.go', '.java'] as const;
/** Where a quote style means something: Go and Java have one string quote. */
const QUOTED = new Set<string>(['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts', '.py']);
/** Prettier formats these; its options say nothing about Python, Go or Java. */
const PRETTIER_FORMATS = new Set<string>(['.js', '.jsx', '.mjs', '.cjs', '.ts', '.tsx', '.mts', '.cts']);

interface PrettierOptions {
  readonly singleQuote?: unknown;
  readonly useTabs?: unknown;
  readonly tabWidth?: unknown;
  readonly semi?: unknown;
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/** The Prettier options the project's data config files state; null without one. */
async function prettierOptions(root: string): Promise<PrettierOptions | null> {
  for (const name of ['.prettierrc', '.prettierrc.json', '.prettierrc.yaml', '.prettierrc.yml']) {
    const text = await readText(path.join(root, name));
    if (text === null) continue;
    try {
      const parsed: unknown = parseYaml(text);
      return parsed !== null && typeof parsed === 'object' ? parsed : {};
    } catch {
      return null;
    }
  }
  const manifest = await readText(path.join(root, 'package.json'));
  if (manifest === null) return null;
  try {
    const prettier = (JSON.parse(manifest) as { prettier?: unknown }).prettier;
    return prettier !== null && typeof prettier === 'object' ? prettier : null;
  } catch {
    return null;
  }
}

/** Prettier's style: its options, and its defaults (double quotes, two spaces, semicolons) for what they leave out. */
function prettierStyle(options: PrettierOptions): DeclaredStyle {
  const width = typeof options.tabWidth === 'number' && options.tabWidth > 0 ? options.tabWidth : 2;
  return {
    quotes: options.singleQuote === true ? 'single' : 'double',
    indent: options.useTabs === true ? { tabs: true } : { tabs: false, width },
    semicolons: options.semi === false ? 'never' : 'always',
  };
}

function editorConfigStyle(props: Record<string, unknown>): DeclaredStyle {
  const size = props.indent_size;
  let indent: IndentUnit | undefined;
  if (props.indent_style === 'tab') indent = { tabs: true };
  else if (props.indent_style === 'space' && typeof size === 'number' && size > 0) indent = { tabs: false, width: size };
  const quotes: QuoteStyle | undefined = props.quote_type === 'single' || props.quote_type === 'double' ? props.quote_type : undefined;
  return { ...(indent ? { indent } : {}), ...(quotes ? { quotes } : {}) };
}

export async function declaredFixStyle(root: string): Promise<ProjectFixStyle> {
  const prettier = await prettierOptions(root);
  const out: Record<string, DeclaredStyle> = {};
  for (const extension of EXTENSIONS) {
    let fromEditorConfig: DeclaredStyle = {};
    try {
      fromEditorConfig = editorConfigStyle(await editorConfigOf(path.join(root, `any-file${extension}`), { root }));
    } catch {
      // a malformed .editorconfig declares nothing
    }
    const fromPrettier = prettier && PRETTIER_FORMATS.has(extension) ? prettierStyle(prettier) : {};
    const indent = fromEditorConfig.indent ?? fromPrettier.indent;
    const quotes = QUOTED.has(extension) ? (fromEditorConfig.quotes ?? fromPrettier.quotes) : undefined;
    // only Prettier speaks of semicolons, and only for what it formats
    const semicolons: SemicolonStyle | undefined = fromPrettier.semicolons;
    if (indent || quotes || semicolons) out[extension] = Object.freeze({ ...(indent ? { indent } : {}), ...(quotes ? { quotes } : {}), ...(semicolons ? { semicolons } : {}) });
  }
  return Object.freeze(out);
}
