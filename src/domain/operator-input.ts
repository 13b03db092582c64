import type { Finding } from './finding.js';
import type { Severity } from './severity.js';
import { isAtLeast } from './severity.js';

/**
 * Severity of an injection finding fed only by the operator's own command line or environment in a CLI
 * entry point: whoever could inject there already runs the program with their own rights.
 */
export const OPERATOR_INPUT_SEVERITY: Severity = 'low';

/** Why a CLI entry point was recognised as one, for the finding's message. */
export type EntryPointReason = 'shebang' | 'package-bin' | 'package-script' | 'scripts-folder';

const REASONS: Readonly<Record<EntryPointReason, string>> = {
  shebang: 'a script started by its #! line',
  'package-bin': "a command listed in package.json's bin",
  'package-script': "a script run by package.json's scripts",
  'scripts-folder': 'a developer script (scripts/ or bin/ folder)',
};

/** Whether a finding's untrusted data comes only from the operator (command line, environment). */
export function isOperatorInputOnly(finding: Pick<Finding, 'trace'>): boolean {
  return finding.trace?.local === true;
}

/**
 * The finding as reported in a CLI entry point when only operator input reaches it: at low severity,
 * saying why. Other findings, and those already at low, are returned unchanged.
 */
export function asEntryPointFinding<T extends Pick<Finding, 'trace' | 'severity' | 'message'>>(finding: T, reason: EntryPointReason): T {
  if (!isOperatorInputOnly(finding) || isAtLeast(OPERATOR_INPUT_SEVERITY, finding.severity)) return finding;
  const note = ` Only the command line or environment of whoever runs it reaches the sink, and this file is ${REASONS[reason]}: operator input, reported at low severity.`;
  return { ...finding, severity: OPERATOR_INPUT_SEVERITY, message: finding.message + note };
}
