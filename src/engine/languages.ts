import { createRequire } from 'node:module';
import { Lang, registerDynamicLanguage } from '@ast-grep/napi';
import type { NapiLang } from '@ast-grep/napi/types/lang.js';
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
  '.py': 'python',
  '.go': 'go',
  '.java': 'java',
});

/** File-name globs of a language, for ast-grep's own file search (which filters by extension). */
export function languageGlobs(language: Language): string[] {
  return Object.entries(BY_EXTENSION)
    .filter(([, lang]) => lang === language)
    .map(([extension]) => `*${extension}`);
}

/** Declaration and stub files describe types only: no code runs from them, so no rule applies. */
const DECLARATION_FILE = ['.d.ts', '.d.mts', '.d.cts', '.pyi'];

/** The language of a file by its name, or null when Code Roach has no parser for it (or nothing to check). */
export function languageOf(fileName: string): Language | null {
  const lower = fileName.toLowerCase();
  if (DECLARATION_FILE.some((suffix) => lower.endsWith(suffix))) return null;
  const dot = fileName.lastIndexOf('.');
  if (dot < 0) return null;
  return BY_EXTENSION[fileName.slice(dot).toLowerCase()] ?? null;
}

type Registration = Parameters<typeof registerDynamicLanguage>[0][string];

let dynamicRegistered = false;

/**
 * Python, Go and Java parsers ship prebuilt in @ast-grep/lang-* packages and are registered with
 * ast-grep once per thread (registration is per native instance, so every worker thread does it too).
 */
function registerDynamicLanguages(): void {
  if (dynamicRegistered) return;
  const require = createRequire(import.meta.url);
  // Each package exports its registration (parser library path, extensions) as CommonJS.
  const load = (name: string): Registration => require(name) as Registration;
  registerDynamicLanguage({
    python: load('@ast-grep/lang-python'),
    go: load('@ast-grep/lang-go'),
    java: load('@ast-grep/lang-java'),
  });
  dynamicRegistered = true;
}

/** The ast-grep parser behind one of our language names. */
export function astGrepLang(language: Language): NapiLang {
  switch (language) {
    case 'javascript':
      return Lang.JavaScript;
    case 'typescript':
      return Lang.TypeScript;
    case 'tsx':
      return Lang.Tsx;
    case 'python':
    case 'go':
    case 'java':
      registerDynamicLanguages();
      return language;
  }
}
