import { describe, expect, it } from 'vitest';
import type { FindingTrace } from '../../src/domain/finding.js';
import { asEntryPointFinding, isOperatorInputOnly } from '../../src/domain/operator-input.js';
import type { Severity } from '../../src/domain/severity.js';

const trace = (local: boolean): FindingTrace => ({ source: { label: 'process.argv', line: 0, column: 0 }, steps: [], ...(local ? { local: true } : {}) });

describe('operator input', () => {
  it('is a trace marked local, nothing else', () => {
    expect(isOperatorInputOnly({ trace: trace(true) })).toBe(true);
    expect(isOperatorInputOnly({ trace: trace(false) })).toBe(false);
    expect(isOperatorInputOnly({})).toBe(false);
  });

  it.each<[Severity, Severity]>([
    ['critical', 'low'],
    ['high', 'low'],
    ['medium', 'low'],
    ['low', 'low'],
  ])('lowers %s to %s in an entry point', (severity, expected) => {
    const out = asEntryPointFinding({ trace: trace(true), severity, message: 'Injection.' }, 'shebang');
    expect(out.severity).toBe(expected);
    expect(out.message.startsWith('Injection.')).toBe(true);
  });

  it('says why only when it lowers, and never touches remote traces', () => {
    expect(asEntryPointFinding({ trace: trace(true), severity: 'low', message: 'm' }, 'shebang').message).toBe('m');
    const remote = { trace: trace(false), severity: 'critical' as const, message: 'm' };
    expect(asEntryPointFinding(remote, 'package-bin')).toBe(remote);
  });
});
