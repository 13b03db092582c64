// Detection time (wall and CPU) of the built-in pack over a list of files, one thread, in process: run it in two checkouts
// (before and after a change to the engine or the pack) on the same list to see what the change costs.
// Usage: npx tsx bench/taint-bench.mts <file-list> [rule-id-prefix-to-count]
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { analyzeSource } from '../src/engine/analyze.js';
import { loadRules } from '../src/engine/rules.js';
import type { Language } from '../src/domain/finding.js';

const [listFile, ...watched] = process.argv.slice(2);
if (!listFile) throw new Error('usage: taint-bench.mts <file-list> [rule ids to count]');
const files = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);
const rules = await loadRules();
const languageOf = (file: string): Language => (file.endsWith('.ts') ? 'typescript' : 'javascript');
const texts = files.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
const counts = new Map<string, number>();
let total = 0;
const started = performance.now();
const cpuStart = process.cpuUsage();
for (const { file, text } of texts) {
  for (const finding of analyzeSource({ text, file, language: languageOf(file), rules }).findings) {
    total += 1;
    if (watched.includes(finding.ruleId)) counts.set(finding.ruleId, (counts.get(finding.ruleId) ?? 0) + 1);
  }
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuStart);
const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
const bytes = texts.reduce((sum, { text }) => sum + text.length, 0);
console.log(JSON.stringify({ files: files.length, chars: bytes, ms: Math.round(ms), cpuMs, filesPerCpuSecond: Math.round((files.length * 1000) / cpuMs), filesPerSecond: Math.round((files.length * 1000) / ms), findings: total, watched: Object.fromEntries(counts) }));
