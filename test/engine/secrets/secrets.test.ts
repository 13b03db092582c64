import path from 'node:path';
import { Lang, parse } from '@ast-grep/napi';
import { describe, expect, it } from 'vitest';
import type { FileLanguage, Finding } from '../../../src/domain/finding.js';
import { languageOf } from '../../../src/engine/languages.js';
import { documentedRules, renderRuleDocs } from '../../../src/engine/rule-docs.js';
import { loadRules } from '../../../src/engine/rules.js';
import { ALL_SECRET_RULES } from '../../../src/engine/secrets/detectors.js';
import { maskOtherFindings } from '../../../src/engine/secrets/findings.js';
import { maskSecret } from '../../../src/engine/secrets/mask.js';
import { createSecretScanner } from '../../../src/engine/secrets/scanner.js';
import { isLockFile, isSecretTextFile } from '../../../src/engine/secrets/text-files.js';
import { SECRET_CASES } from './cases.js';
import type { SecretCase } from './cases.js';
import { T } from './tokens.js';

const scanner = createSecretScanner({ enabled: true, exclude: [], disabled: [] });
if (!scanner) throw new Error('scanner expected');

function languageFor(file: string): FileLanguage {
  return languageOf(path.posix.basename(file)) ?? 'text';
}

function scan(c: SecretCase): Finding[] {
  return scanner!.scan(c.code, c.file, languageFor(c.file)).findings;
}

/** Every text field a finding carries into reports and the store. */
function shown(finding: Finding): string {
  return JSON.stringify(finding);
}

describe('secrets rules', () => {
  it('has valid and invalid cases for every rule, and every rule is documented', () => {
    for (const rule of ALL_SECRET_RULES) {
      const cases = SECRET_CASES[rule.id];
      expect(cases, rule.id).toBeDefined();
      expect(cases!.invalid.length, rule.id).toBeGreaterThan(0);
      expect(cases!.valid.length, rule.id).toBeGreaterThan(0);
      expect(rule.id).toMatch(/^secrets\/[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.doc.rationale.length).toBeGreaterThan(10);
    }
    expect(Object.keys(SECRET_CASES).sort()).toEqual(ALL_SECRET_RULES.map((r) => r.id).sort());
  });

  const invalid = Object.entries(SECRET_CASES).flatMap(([id, cases]) => cases.invalid.map((c, i) => [`${id} invalid#${i} (${c.file})`, id, c] as const));
  it.each(invalid)('%s is reported, masked', (_name, id, c) => {
    const findings = scan(c);
    expect(findings.map((f) => f.ruleId)).toEqual(Array<string>(c.count ?? 1).fill(id));
    for (const finding of findings) {
      expect(finding.category).toBe('security');
      expect(finding.cwe).toBe(798);
      expect(finding.templateFix).toBeNull();
      // provider formats are high or critical; a generic high-entropy value (no known format) and a Google
      // API key (made to be embedded in clients) are medium
      const medium = id === 'secrets/generic' || id === 'secrets/google-api-key';
      expect(medium ? ['medium'] : ['high', 'critical']).toContain(finding.severity);
    }
    if (c.secret) {
      for (const finding of findings) expect(shown(finding)).not.toContain(c.secret);
      expect(findings.map((f) => f.message).join('\n')).toContain(maskSecret(c.secret));
      const reported = findings.find((f) => f.message.includes(maskSecret(c.secret!)));
      expect(c.code.slice(reported!.range.startOffset, reported!.range.endOffset)).toBe(c.secret);
    }
  });

  const valid = Object.entries(SECRET_CASES).flatMap(([id, cases]) => cases.valid.map((c, i) => [`${id} valid#${i} (${c.file})`, c] as const));
  it.each(valid)('%s is not reported', (_name, c) => {
    expect(scan(c)).toEqual([]);
  });
});

describe('secret findings', () => {
  it('masks as the first characters and the length', () => {
    expect(maskSecret('AKIAQ3EGRJXZ4K2LM7NB')).toBe('AKIA…(20 chars)');
    expect(maskSecret('s3cr3tpass')).toBe('…(10 chars)');
  });

  it('gives the same secret the same fingerprint wherever it moves, and a different secret another', () => {
    const one = scan({ file: '.env', code: `A=1\nGH=${T.ghp}\n` });
    const moved = scan({ file: '.env', code: `\n\n# moved\nGH=${T.ghp}\n` });
    const other = scan({ file: '.env', code: `GH=${T.npm}\n` });
    expect(one[0]!.fingerprint).toBe(moved[0]!.fingerprint);
    expect(other[0]!.fingerprint).not.toBe(one[0]!.fingerprint);
    expect(one[0]!.snippet).toBe(`GH=${maskSecret(T.ghp)}`);
  });

  it('lowers secrets in test code and fixtures to low severity instead of dropping them', () => {
    const findings = scan({ file: 'test/fixtures/app/.env', code: `STRIPE=${T.stripe}\n` });
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['secrets/stripe', 'low']]);
  });

  it('masks all secrets on a line in the snippet', () => {
    const findings = scan({ file: 'run.sh', code: `export A=${T.glpat} B=${T.sendgrid}\n` });
    expect(findings).toHaveLength(2);
    for (const f of findings) expect(f.snippet).toBe(`export A=${maskSecret(T.glpat)} B=${maskSecret(T.sendgrid)}`);
  });

  it('masks other rules findings of the same file and drops their fixes', () => {
    const code = `const apiToken = "${T.ghp}";\n`;
    const secrets = scanner.scan(code, 'src/a.js', 'javascript');
    const other: Finding = {
      ...secrets.findings[0]!,
      ruleId: 'js/example',
      cwe: 489,
      snippet: code.trim(),
      message: `uses ${T.ghp}`,
      range: { ...secrets.findings[0]!.range, startOffset: 0, endOffset: code.length - 1 },
      bindings: { VALUE: `"${T.ghp}"` },
      templateFix: { edits: [{ file: 'src/a.js', start: 0, end: 1, text: T.ghp }], safety: 'safe', template: '$VALUE' },
    };
    const [masked] = maskOtherFindings([other], code, secrets.matches);
    expect(shown(masked!)).not.toContain(T.ghp);
    expect(masked!.snippet).toBe(`const apiToken = "${maskSecret(T.ghp)}";`);
    expect(masked!.templateFix).toBeNull();
  });

  it('drops a hard-coded-credential rule finding over a secret the scan reports: one secret, one finding', () => {
    const code = `SECRET_KEY = "${T.ghp}"\nPASSWORD_HINT = "x"\n`;
    const secrets = scanner.scan(code, 'settings.py', 'python');
    const base = secrets.findings[0]!;
    const credential: Finding = { ...base, ruleId: 'py/no-hardcoded-credentials', cwe: 798, range: { ...base.range, startOffset: 0, endOffset: code.indexOf('\n') } };
    const elsewhere: Finding = { ...credential, range: { ...base.range, startOffset: code.indexOf('PASSWORD'), endOffset: code.length - 1 } };
    const other: Finding = { ...credential, ruleId: 'py/example', cwe: 489 };
    expect(maskOtherFindings([credential, elsewhere, other], code, secrets.matches).map((f) => f.ruleId)).toEqual(['py/no-hardcoded-credentials', 'py/example']);
  });

  it('honours disabled rules and excluded paths', () => {
    const partial = createSecretScanner({ enabled: true, exclude: ['legacy/**'], disabled: ['secrets/jwt'] })!;
    expect(partial.scan(`X=${T.jwt}\n`, 'a.txt', 'text').findings).toEqual([]);
    expect(partial.scan(`X=${T.stripe}\n`, 'legacy/a.txt', 'text').findings).toEqual([]);
    expect(partial.scan(`X=${T.stripe}\n`, 'b.txt', 'text').findings).toHaveLength(1);
    expect(createSecretScanner({ enabled: false, exclude: [], disabled: [] })).toBeNull();
  });

  it('finds the same with the rules tree of the text as with its own parse', () => {
    const code = `const slack = "${T.slackBot}";\n// ${T.stripe}\nconst apiSecret = '${T.generic}';\n`;
    const own = scanner.scan(code, 'src/a.ts', 'typescript');
    expect(own.findings).toHaveLength(3);
    expect(scanner.scan(code, 'src/a.ts', 'typescript', parse(Lang.TypeScript, code))).toEqual(own);
  });

  it('never throws on hostile text', () => {
    const hostile = ['-----BEGIN PRIVATE KEY-----'.repeat(2000), 'a='.repeat(50_000), `"${'\\'.repeat(10_000)}`, 'eyJ'.repeat(20_000)];
    for (const text of hostile) {
      expect(() => scanner.scan(text, 'x.txt', 'text')).not.toThrow();
      expect(() => scanner.scan(text, 'x.js', 'javascript')).not.toThrow();
    }
  });
});

describe('text files for the secrets scan', () => {
  it.each([
    ['.env', true], ['.env.production', true], ['Dockerfile', true], ['Dockerfile.dev', true], ['app.yml', true], ['.npmrc', true], ['server.pem', true],
    ['package-lock.json', false], ['yarn.lock', false], ['pnpm-lock.yaml', false], ['go.sum', false], ['Cargo.lock', false], ['photo.png', false], ['main.rb', false],
  ] as const)('%s -> %s', (name, expected) => {
    expect(isSecretTextFile(name)).toBe(expected);
  });

  it('knows lock files', () => {
    expect(isLockFile('package-lock.json')).toBe(true);
    expect(isLockFile('package.json')).toBe(false);
  });
});

describe('secrets rules in the rule reference', () => {
  it('lists and documents every secrets rule beside the rule files', async () => {
    const rules = await loadRules();
    const ids = documentedRules(rules).map((r) => r.id);
    for (const rule of ALL_SECRET_RULES) expect(ids).toContain(rule.id);
    expect(ids.length).toBe(rules.rules.length + ALL_SECRET_RULES.length);
    const docs = renderRuleDocs(rules);
    for (const rule of ALL_SECRET_RULES) expect(docs).toContain(`\n## ${rule.id}\n`);
    expect(docs).toContain('| [secrets/aws](#secrets-aws) | critical | security | [CWE-798]');
  });

  // The reference is published (docs/rules.md, a repository file the scan itself covers): a bad example
  // holding a credential of the real shape would be reported by Code Roach and by push protection, so
  // the secret is elided with `…` and the detection is tested by SECRET_CASES above instead. What the
  // examples must do: the good one is not reported, and the bad one shows where the secret goes.
  it.each(ALL_SECRET_RULES.map((rule) => [rule.id, rule] as const))('%s: the good example is not reported, the bad one elides its secret', (_id, rule) => {
    for (const file of ['example.txt', 'example.js', 'example.py']) {
      expect(scanner!.scan(rule.doc.good, file, languageFor(file)).findings, `${file}: ${rule.doc.good}`).toEqual([]);
      expect(scanner!.scan(rule.doc.bad, file, languageFor(file)).findings, `${file}: ${rule.doc.bad}`).toEqual([]);
    }
    expect(rule.doc.bad).toContain('…');
    expect(rule.doc.good).not.toContain('…');
  });
});
