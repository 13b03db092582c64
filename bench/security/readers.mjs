// Readers of the security bench's datasets (bench/security/datasets.json): each turns a checked-out
// repository into the files to crawl, under a neutral layout (`src/...`, since the crawler lowers or
// skips findings in folders named test/tests/examples/samples), and the cases to score. A case is one
// positive or negative of one CWE family: a statement of a file (`line` to `lastLine`) or whole files
// (`line: null`).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Lang, parse } from '@ast-grep/napi';

/** Builds the cases of one dataset; `family` returns null for ids that are no security family. */
function caseMaker(dataset, familyOf, warnings) {
  return (key, positive, files, line, where) => {
    const family = familyOf(key);
    if (family === undefined) warnings.push(`${dataset.name}: no family for ${key} (add it to bench/security/cwe-map.json)`);
    if (!family) return null;
    return { dataset: dataset.name, language: dataset.language, key, family, positive, files, line, where };
  };
}

function filesUnder(dir, extension) {
  return readdirSync(dir, { recursive: true }).filter((f) => f.endsWith(extension)).map((f) => f.split(path.sep).join('/')).sort();
}

const NJSSCAN_ANNOTATION = /^\s*\/\/\s*(ruleid|ok)\s*:\s*([\w.-]+)/;

/** The 1-based number of the first line after `index` that is code (not blank, not a comment). */
function nextCodeLine(lines, index) {
  for (let j = index + 1; j < lines.length; j++) {
    const text = lines[j].trim();
    if (text && !text.startsWith('//')) return j + 1;
  }
  return null;
}

/**
 * The last line (1-based) of the outermost syntax node that starts on `line`: a semgrep annotation marks
 * where its match starts, and the match spans that statement (a `new BrowserWindow({` whose insecure
 * option is three lines down, a route handler whose tainted source is the annotated line).
 */
function statementEnd(root, line) {
  let node = root;
  for (;;) {
    const inside = node.children().find((child) => child.range().start.line <= line - 1 && line - 1 <= child.range().end.line);
    if (!inside) return line;
    if (inside.range().start.line === line - 1) return inside.range().end.line + 1;
    node = inside;
  }
}

/** njsscan: `// ruleid:<id>` marks the next code line as a positive; `// ok:<id>` as a negative. */
function readNjsscan(dataset, dir, map, warnings) {
  const make = caseMaker(dataset, (key) => map.rules[key], warnings);
  const makeOfFamily = caseMaker(dataset, (family) => family, warnings);
  const files = [];
  const cases = [];
  for (const [folder, into, positive] of [[dataset.positives, 'src/vulnerable', true], [dataset.negatives, 'src/safe', false]]) {
    for (const relative of filesUnder(path.join(dir, folder), '.js')) {
      const to = `${into}/${relative}`;
      const text = readFileSync(path.join(dir, folder, relative), 'utf8');
      files.push({ to, text });
      const lines = text.split('\n');
      const root = parse(Lang.JavaScript, text).root();
      let annotated = false;
      lines.forEach((line, index) => {
        const match = NJSSCAN_ANNOTATION.exec(line);
        const target = match && nextCodeLine(lines, index);
        if (!target) return;
        annotated = true;
        const found = make(match[2], match[1] === 'ruleid', [to], target, `${folder}/${relative}:${target}`);
        if (found) cases.push({ ...found, lastLine: statementEnd(root, target) });
      });
      if (!positive && !annotated) {
        const families = map.negativeFiles[path.basename(relative)];
        if (!families) warnings.push(`njsscan: no family for negative file ${relative}`);
        for (const family of families ?? []) cases.push(makeOfFamily(family, false, [to], null, `${folder}/${relative}`));
      }
    }
  }
  return { files, cases: cases.filter(Boolean) };
}

/**
 * Bandit: test_functional.py checks each example file's issue counts by severity. The counts include
 * every plugin (a file about pickle also counts its `import pickle`), so only "above 0" is used.
 */
function readBandit(dataset, dir, map, warnings) {
  const make = caseMaker(dataset, (key) => map.files[key], warnings);
  const test = readFileSync(path.join(dir, dataset.expectations), 'utf8');
  const files = [];
  const cases = [];
  const seen = new Set();
  let previous = 0;
  for (const call of test.matchAll(/check_example\(\s*"([^"]+)"/g)) {
    const name = call[1];
    const severity = /"SEVERITY":\s*\{([^}]*)\}/.exec(test.slice(previous, call.index));
    previous = call.index;
    if (seen.has(name)) continue;
    seen.add(name);
    if (!severity) {
      warnings.push(`bandit: no expected counts for ${name}`);
      continue;
    }
    const expected = [...severity[1].matchAll(/:\s*(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    const to = `src/${name}`;
    files.push({ to, text: readFileSync(path.join(dir, dataset.folder, name), 'utf8') });
    cases.push(make(name, expected > 0, [to], null, `${dataset.folder}/${name}`));
  }
  return { files, cases: cases.filter(Boolean) };
}

/** A Go string literal at `at` (raw or interpreted), as [value, index after it], or null. */
function goString(text, at) {
  if (text[at] === '`') {
    const end = text.indexOf('`', at + 1);
    return end < 0 ? null : [text.slice(at + 1, end), end + 1];
  }
  const literal = text[at] === '"' && /^"(?:[^"\\\n]|\\.)*"/.exec(text.slice(at));
  if (!literal) return null;
  try {
    return [JSON.parse(literal[0]), at + literal[0].length];
  } catch {
    return null;
  }
}

/**
 * The samples of a gosec testutils file: `{[]string{`a`, "b" + `c`}, N, config}` or
 * `{Code: []string{...}, Errors: N, ...}`; the sources may concatenate raw and interpreted strings.
 */
function gosecSamples(text) {
  const skipSpace = (at) => at + /^\s*/.exec(text.slice(at))[0].length;
  const samples = [];
  for (let start = text.indexOf('[]string{'); start >= 0; start = text.indexOf('[]string{', start + 1)) {
    const sources = [];
    let current = '';
    let closed = false;
    let at = start + '[]string{'.length;
    for (;;) {
      at = skipSpace(at);
      if (text[at] === '}' && current === '') {
        closed = sources.length > 0;
        at++;
        break;
      }
      const literal = goString(text, at);
      if (!literal) break;
      current += literal[0];
      at = skipSpace(literal[1]);
      if (text[at] === '+') {
        at++;
        continue;
      }
      if (text[at] !== ',' && text[at] !== '}') break;
      sources.push(current);
      current = '';
      if (text[at++] === '}') {
        closed = true;
        break;
      }
    }
    const errors = closed && /^\s*,\s*(?:Errors:\s*)?(\d+)/.exec(text.slice(at));
    if (errors) samples.push({ sources, errors: Number(errors[1]), index: start });
  }
  return samples;
}

/** gosec: each sample of testutils/gNNN_samples.go (one or more files) is one sample of rule GNNN. */
function readGosec(dataset, dir, map, warnings) {
  const make = caseMaker(dataset, (key) => map.rules[key], warnings);
  const files = [];
  const cases = [];
  for (const name of filesUnder(path.join(dir, dataset.folder), '_samples.go')) {
    const rule = /^g(\d+)_samples\.go$/.exec(name);
    if (!rule) continue;
    const key = `G${rule[1]}`;
    const text = readFileSync(path.join(dir, dataset.folder, name), 'utf8');
    const samples = gosecSamples(text);
    // A sample starts a line (`{[]string{`, `Code: []string{`); `[]string{` inside the sample code does not.
    const declared = (text.match(/^\s*(?:\{|Code:\s*)?\[\]string\{/gm) ?? []).length;
    if (samples.length !== declared) warnings.push(`gosec: ${name}: read ${samples.length} of ${declared} samples`);
    samples.forEach((sample, k) => {
      const to = sample.sources.map((_, i) => `src/${key.toLowerCase()}/s${String(k + 1).padStart(3, '0')}/f${i}.go`);
      sample.sources.forEach((source, i) => files.push({ to: to[i], text: source }));
      const line = text.slice(0, sample.index).split('\n').length;
      cases.push(make(key, sample.errors > 0, to, null, `${dataset.folder}/${name}:${line}`));
    });
  }
  return { files, cases: cases.filter(Boolean) };
}

/** OWASP Benchmark: expectedresults-*.csv gives each test case's category and whether it is vulnerable. */
function readOwasp(dataset, dir, map, warnings) {
  const make = caseMaker(dataset, (key) => map.categories[key], warnings);
  const files = [];
  const cases = [];
  for (const row of readFileSync(path.join(dir, dataset.expectations), 'utf8').split('\n')) {
    const [name, category, real] = row.split(',');
    if (!name || name.startsWith('#')) continue;
    const to = `src/app/${name}.java`;
    files.push({ to, text: readFileSync(path.join(dir, dataset.folder, `${name}.java`), 'utf8') });
    cases.push(make(category, real === 'true', [to], null, `${dataset.folder}/${name}.java`));
  }
  return { files, cases: cases.filter(Boolean) };
}

export const READERS = { njsscan: readNjsscan, bandit: readBandit, gosec: readGosec, owasp: readOwasp };
