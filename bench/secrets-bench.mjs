#!/usr/bin/env node
// Secrets scan benchmark on this project's own node_modules: text files (line scanner) and JS/TS files
// (ast-grep literals and comments), one thread, from the built dist/. Prints files/s and every finding,
// masked, so false positives can be judged by hand. Never part of `npm test`.
//
//   npm run build && node bench/secrets-bench.mjs [--code] [--list]
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const dist = (p) => import(path.join(ROOT, 'dist', p));
const { createSecretScanner } = await dist('engine/secrets/scanner.js');
const { isSecretTextFile } = await dist('engine/secrets/text-files.js');
const { languageOf } = await dist('engine/languages.js');
const { decodeSource } = await dist('io/source-file.js');
const { minifiedReason } = await dist('crawl/analyze-file.js');

const MAX_BYTES = 1_048_576;
const withCode = process.argv.includes('--code');
const list = process.argv.includes('--list');
const corpus = path.join(ROOT, 'node_modules');

/** Every file under node_modules (nested node_modules included) that the crawl would scan for secrets. */
async function collect(dir, out) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const absolute = path.join(dir, entry.name);
    if (entry.isDirectory()) await collect(absolute, out);
    else if (entry.isFile()) {
      const language = languageOf(entry.name) ?? (isSecretTextFile(entry.name) ? 'text' : null);
      if (language === 'text' || (withCode && language)) out.push({ absolute, language });
    }
  }
  return out;
}

const scanner = createSecretScanner({ enabled: true, exclude: [], disabled: [] });
const files = await collect(corpus, []);
const stats = new Map();
const findings = [];
let skipped = 0;
let bytes = 0;
for (const language of new Set(files.map((f) => f.language))) stats.set(language, { files: 0, ms: 0 });
for (const file of files) {
  const info = await stat(file.absolute);
  if (info.size > MAX_BYTES) { skipped++; continue; }
  const raw = await readFile(file.absolute);
  const started = performance.now();
  const decoded = decodeSource(raw);
  if (!decoded.ok || minifiedReason(decoded.text)) { skipped++; continue; }
  const relative = path.relative(corpus, file.absolute).split(path.sep).join('/');
  const result = scanner.scan(decoded.text, relative, file.language);
  const s = stats.get(file.language);
  s.ms += performance.now() - started;
  s.files++;
  bytes += raw.length;
  findings.push(...result.findings);
}
for (const [language, s] of stats) {
  console.log(`${language.padEnd(11)} ${String(s.files).padStart(6)} files  ${(s.ms / 1000).toFixed(2)} s  ${Math.round(s.files / (s.ms / 1000))} files/s`);
}
console.log(`${skipped} skipped (binary, invalid UTF-8, minified, > 1 MiB); ${(bytes / 1048576).toFixed(1)} MiB scanned`);
const byRule = new Map();
for (const f of findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
console.log(`${findings.length} findings:`, Object.fromEntries([...byRule].sort()));
if (list) for (const f of findings) console.log(`${f.ruleId}\t${f.severity}\t${f.file}:${f.range.startLine + 1}\t${f.snippet.slice(0, 140)}`);
