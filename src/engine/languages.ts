import { Lang } from '@ast-grep/napi';
import type { Language } from '../domain/finding.js';

const BY_EXTENSION: Readonly<Record<string, Language>> = Object.freeze({
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
});

/** TypeScript declaration files describe types only: no code runs from them, so no rule applies. */
const DECLARATION_FILE = ['.d.ts', '.d.mts', '.d.cts'];

/** The language of a file by its name, or null when Code Roach has no parser for it (or nothing to check). */
export function languageOf(fileName: string): Language | null {
  const lower = fileName.toLowerCase();
  if (DECLARATION_FILE.some((suffix) => lower.endsWith(suffix))) return null;
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return null;
  return BY_EXTENSION[fileName.slice(dot).toLowerCase()] ?? null;
}

/** The ast-grep parser behind one of our language names. */
export function astGrepLang(language: Language): Lang {
  switch (language) {
    case 'javascript':
      return Lang.JavaScript;
    case 'typescript':
      return Lang.TypeScript;
    case 'tsx':
      return Lang.Tsx;
  }
}
