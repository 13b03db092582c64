import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeSource } from '../../src/engine/analyze.js';
import { loadRuleFile, ruleSetOf } from '../../src/engine/rules.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

const RULE = [
  'id: py/no-verify-off',
  'languages: [python]',
  'severity: high',
  'category: security',
  'message: TLS verification is off.',
  'doc: { rationale: A network attacker reads the traffic., bad: "get(u, verify=False)", good: "get(u)" }',
  'rule: { kind: call, has: { field: arguments, has: { kind: keyword_argument, regex: "^verify=False$" } } }',
  'lowerSeverity:',
  '  to: medium',
  '  reason: the request carries no credentials',
  '  when: { not: { has: { field: arguments, has: { matches: credentials } } } }',
  'utils:',
  '  credentials: { kind: keyword_argument, has: { field: name, regex: "^(auth|cert|cookies)$" } }',
  '',
].join('\n');

describe('lowerSeverity', () => {
  it('reports a match at the lower severity when it also matches `when` (with the rule file\'s utils)', async () => {
    const dir = await tempDir('roach-lower-');
    await mkdir(path.join(dir, 'python'));
    const file = path.join(dir, 'python', 'no-verify-off.yml');
    await writeFile(file, RULE);
    const rules = ruleSetOf([await loadRuleFile(file, dir)]);
    const text = 'requests.get(url, verify=False)\nrequests.post(url, auth=(user, token), verify=False)\n';
    const findings = analyzeSource({ text, file: 'app.py', language: 'python', rules }).findings;
    expect(findings.map((f) => `${f.range.startLine + 1} ${f.severity}`)).toEqual(['1 medium', '2 high']);
  });
});
