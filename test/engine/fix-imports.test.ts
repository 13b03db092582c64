import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Language } from '../../src/domain/finding.js';
import { analyzeSource } from '../../src/engine/analyze.js';
import { applyEdits, planFixes } from '../../src/engine/fixer.js';
import { loadRuleFile, ruleSetOf } from '../../src/engine/rules.js';
import type { RuleSet } from '../../src/engine/rules.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

const rule = (id: string, language: string, pattern: string, template: string, addImport: string): string =>
  [
    `id: ${id}`,
    `languages: [${language}]`,
    'severity: medium',
    'category: security',
    'message: Predictable random.',
    'doc: { rationale: Predictable., bad: x, good: y }',
    `rule: { pattern: ${JSON.stringify(pattern)} }`,
    `fix: { template: ${JSON.stringify(template)}, safety: unsafe, addImport: ${JSON.stringify(addImport)} }`,
    '',
  ].join('\n');

let rules: RuleSet;
beforeAll(async () => {
  const dir = await tempDir('roach-fix-imports-');
  const files = {
    'python/secure-choice.yml': rule('py/secure-choice', 'python', 'random.choice($X)', 'secrets.choice($X)', 'import secrets'),
    'java/secure-random.yml': rule('java/secure-random', 'java', 'new Random()', 'new SecureRandom()', 'import java.security.SecureRandom;'),
    'javascript/secure-random.yml': rule('js/secure-random', 'javascript', 'Math.random()', 'crypto.randomInt(2 ** 32)', "const crypto = require('node:crypto');"),
    'javascript/random-int.yml': [
      'id: js/random-int',
      'languages: [javascript, typescript]',
      'severity: medium',
      'category: security',
      'message: Predictable random.',
      'doc: { rationale: Predictable., bad: x, good: y }',
      "rule: { pattern: 'weakRandomInt($N)' }",
      'fix:',
      "  template: 'randomInt($N)'",
      '  safety: unsafe',
      '  addImport:',
      `    esm: "import { randomInt } from 'node:crypto';"`,
      `    commonjs: "const { randomInt } = require('node:crypto');"`,
      '',
    ].join('\n'),
  };
  const compiled = [];
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.join(dir, path.dirname(name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
    compiled.push(await loadRuleFile(path.join(dir, name), dir));
  }
  rules = ruleSetOf(compiled);
});

/** The file after every fix the planner accepts in one pass. */
function fixed(text: string, language: Language, file: string): string {
  const findings = analyzeSource({ text, file, language, rules }).findings;
  const groups = findings.flatMap((f, i) => (f.templateFix ? [{ id: String(i), edits: f.templateFix.edits }] : []));
  return applyEdits(text, planFixes(groups).accepted.flatMap((g) => g.edits));
}

describe('fixes that add an import', () => {
  it('Python: adds the import after the last one, as part of the same fix', () => {
    const text = 'import os\nimport random\n\ntoken = random.choice(ALPHABET)\n';
    const findings = analyzeSource({ text, file: 'a.py', language: 'python', rules }).findings;
    expect(findings[0]?.templateFix?.edits).toHaveLength(2);
    expect(fixed(text, 'python', 'a.py')).toBe('import os\nimport random\nimport secrets\n\ntoken = secrets.choice(ALPHABET)\n');
  });

  it('Python: no second import when the file has it; before the first statement after a docstring and comments', () => {
    expect(fixed('import secrets, random\nimport secrets\nx = random.choice(s)\n', 'python', 'a.py')).toBe('import secrets, random\nimport secrets\nx = secrets.choice(s)\n');
    expect(fixed('#!/usr/bin/env python\n"""Tokens."""\nx = random.choice(s)\n', 'python', 'a.py')).toBe('#!/usr/bin/env python\n"""Tokens."""\nimport secrets\nx = secrets.choice(s)\n');
  });

  it('two fixes adding the same import: one lands in a pass, the next pass finds the import there', () => {
    const text = 'import random\na = random.choice(s)\nb = random.choice(s)\n';
    const once = fixed(text, 'python', 'a.py');
    expect(once).toBe('import random\nimport secrets\na = secrets.choice(s)\nb = random.choice(s)\n');
    expect(fixed(once, 'python', 'a.py')).toBe('import random\nimport secrets\na = secrets.choice(s)\nb = secrets.choice(s)\n');
  });

  it('Java: after the imports, or after the package line; a wildcard import counts', () => {
    const withImports = 'package a;\n\nimport java.util.Random;\n\nclass A { Random r = new Random(); }\n';
    expect(fixed(withImports, 'java', 'A.java')).toBe('package a;\n\nimport java.util.Random;\nimport java.security.SecureRandom;\n\nclass A { Random r = new SecureRandom(); }\n');
    expect(fixed('package a;\n\nclass A { Object r = new Random(); }\n', 'java', 'A.java')).toBe('package a;\n\nimport java.security.SecureRandom;\n\nclass A { Object r = new SecureRandom(); }\n');
    expect(fixed('import java.security.*;\nclass A { Object r = new Random(); }\n', 'java', 'A.java')).toBe('import java.security.*;\nclass A { Object r = new SecureRandom(); }\n');
  });

  it('JavaScript without a sign of its module system gets no fix rather than one that does not run', () => {
    const findings = analyzeSource({ text: 'const n = Math.random();\n', file: 'a.js', language: 'javascript', rules }).findings;
    expect(findings.map((f) => [f.ruleId, f.templateFix])).toEqual([['js/secure-random', null]]);
  });

  it("JavaScript: the form of the file's module system, after its imports or its hashbang and directives", () => {
    expect(fixed("import fs from 'node:fs';\nconst n = weakRandomInt(6);\n", 'javascript', 'a.js')).toBe(
      "import fs from 'node:fs';\nimport { randomInt } from 'node:crypto';\nconst n = randomInt(6);\n",
    );
    expect(fixed("#!/usr/bin/env node\n'use strict';\nconst fs = require('fs');\n\nconst n = weakRandomInt(6);\n", 'javascript', 'bin/cli.js')).toBe(
      "#!/usr/bin/env node\n'use strict';\nconst fs = require('fs');\nconst { randomInt } = require('node:crypto');\n\nconst n = randomInt(6);\n",
    );
    expect(fixed("'use strict';\nmodule.exports = () => weakRandomInt(6);\n", 'javascript', 'lib/a.cjs')).toBe(
      "'use strict';\nconst { randomInt } = require('node:crypto');\nmodule.exports = () => randomInt(6);\n",
    );
    expect(fixed('export const n = weakRandomInt(6);\n', 'typescript', 'a.ts')).toBe("import { randomInt } from 'node:crypto';\nexport const n = randomInt(6);\n");
  });

  it('JavaScript: no second import when the file has it; no fix when the name it binds is taken', () => {
    const has = 'import { randomInt } from "node:crypto";\nexport const n = weakRandomInt(6);\n';
    expect(fixed(has, 'javascript', 'a.mjs')).toBe('import { randomInt } from "node:crypto";\nexport const n = randomInt(6);\n');
    const taken = 'export function randomInt(n) { return 4; }\nexport const n = weakRandomInt(6);\n';
    expect(analyzeSource({ text: taken, file: 'a.mjs', language: 'javascript', rules }).findings.find((f) => f.ruleId === 'js/random-int')?.templateFix).toBeNull();
  });
});
