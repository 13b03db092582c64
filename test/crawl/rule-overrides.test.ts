import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/domain/finding.js';
import { overrideFindings } from '../../src/crawl/rule-overrides.js';

const finding = (file: string, ruleId: string): Finding =>
  ({ ruleId, file, severity: 'critical', fingerprint: `${file}:${ruleId}` }) as unknown as Finding;

describe('per-path rule overrides', () => {
  const findings = [finding('src/a.js', 'js/no-eval'), finding('test/a.test.js', 'js/no-eval'), finding('test/a.test.js', 'js/no-var'), finding('gen/x.js', 'js/no-var')];

  it('disables rules and changes severities by path, later overrides winning', () => {
    const out = overrideFindings(findings, [
      { files: ['test/'], disabled: ['js/no-eval'], severity: { 'js/no-var': 'low' } },
      { files: ['gen/**', 'test/*.test.js'], disabled: [], severity: { 'js/no-var': 'medium' } },
    ]);
    expect(out.map((f) => `${f.file} ${f.ruleId} ${f.severity}`)).toEqual(['src/a.js js/no-eval critical', 'test/a.test.js js/no-var medium', 'gen/x.js js/no-var medium']);
  });

  it('leaves findings untouched without overrides', () => {
    expect(overrideFindings(findings, [])).toEqual(findings);
  });
});
