// Writes one bench's section into bench/RESULTS.md: a section whose heading line equals `heading`
// is replaced (a later run on the same date wins), else the section is appended.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';

export async function writeResultsSection(resultsFile, section, heading, header = '# Benchmark results\n') {
  let text = existsSync(resultsFile) ? await readFile(resultsFile, 'utf8') : header;
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === heading);
  if (start >= 0) {
    let end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
    if (end < 0) end = lines.length;
    lines.splice(start, end - start, ...section.split('\n'));
    text = lines.join('\n');
  } else {
    text = `${text.replace(/\n*$/, '\n')}\n${section}`;
  }
  await writeFile(resultsFile, text.replace(/\n*$/, '\n'));
}
