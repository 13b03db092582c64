// Build step: validates the built-in rule pack once and saves it as dist/rule-pack-cache.json, so that
// `roach rules list` and a crawl's workers start without parsing and validating every rule file. A cached
// definition is used only for a file whose bytes are unchanged, and the cache only while dist/ holds the
// code that wrote it (src/engine/rule-pack-cache.ts); without it every file is validated at each load.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildRulePackCache, RULE_PACK_CACHE_FILE } from '../dist/engine/rule-pack-cache.js';
import { BUILTIN_RULES_DIR, listRuleFiles } from '../dist/engine/rule-files.js';
import { loadRuleFile } from '../dist/engine/rules.js';

/** `entry` and every compiled module it imports, directly or not (relative imports; types are erased). */
async function moduleClosure(entry) {
  const seen = new Set();
  const visit = async (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = await readFile(file, 'utf8');
    for (const [, specifier] of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) await visit(path.resolve(path.dirname(file), specifier));
  };
  await visit(entry);
  return [...seen].sort();
}

const dir = BUILTIN_RULES_DIR;
const files = await listRuleFiles(dir);
const cache = await buildRulePackCache({
  dir,
  files,
  validate: async (file) => (await loadRuleFile(file, dir)).definition,
  code: await moduleClosure(fileURLToPath(new URL('../dist/engine/rules.js', import.meta.url))),
  cacheDir: path.dirname(RULE_PACK_CACHE_FILE),
});
await writeFile(RULE_PACK_CACHE_FILE, `${JSON.stringify(cache)}\n`);
const left = files.length - Object.keys(cache.rules).length;
if (left > 0) process.stderr.write(`rule pack cache: ${left} of ${files.length} rule files left out (invalid or changing); they are validated at every load\n`);
