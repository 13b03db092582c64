import type { Finding } from '../../src/domain/finding.js';
import { issueFingerprint, patternFingerprint } from '../../src/domain/fingerprint.js';

/** A js/no-eval finding at line `n` of `file`, as the engine would report it, for store tests. */
export function evalFinding(file: string, n: number, options: { severity?: Finding['severity']; shape?: string } = {}): Finding {
  const shape = options.shape ?? 'eval ( $ID )';
  return {
    ruleId: 'js/no-eval',
    severity: options.severity ?? 'high',
    category: 'security',
    cwe: 95,
    message: 'eval',
    file,
    language: 'javascript',
    range: { startLine: n, startColumn: 0, endLine: n, endColumn: 8, startOffset: n * 10, endOffset: n * 10 + 8 },
    snippet: `eval(x${n})`,
    fingerprint: issueFingerprint('js/no-eval', file, `eval ( x${n} )`, 0),
    patternFingerprint: patternFingerprint('js/no-eval', shape),
    shape,
    bindings: {},
    templateFix: null,
  };
}
