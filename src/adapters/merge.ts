import type { Finding } from '../domain/finding.js';
import { severityRank } from '../domain/severity.js';
import { sameDefect } from './equivalence.js';

/** The built-in AST engine's name in `engines`. */
export const BUILT_IN_ENGINE = 'roach';

/** Which engine's finding stands for a merged group: ours first (it carries AST shape and bindings for learning). */
const ENGINE_ORDER = [BUILT_IN_ENGINE, 'eslint', 'oxlint', 'ts'];

export function engineOf(finding: Finding): string {
  return finding.engines?.[0] ?? BUILT_IN_ENGINE;
}

function engineRank(engine: string): number {
  const index = ENGINE_ORDER.indexOf(engine);
  return index < 0 ? ENGINE_ORDER.length : index;
}

/**
 * Merges findings of different engines that name the same defect (same file, overlapping lines, the same
 * rule under another name or the same CWE) into one, which lists every engine that reported it. Findings of
 * one engine are never merged with each other: two `eval` calls on one line are two defects. The merged
 * finding keeps the identity (fingerprint) of the highest-ranked engine, the built-in rule's severity (else the
 * worst reported), and the first fix any member offers. A finding no other engine confirmed is returned unchanged.
 */
export function mergeFindings(findings: readonly Finding[]): Finding[] {
  const ordered = [...findings].sort((a, b) => engineRank(engineOf(a)) - engineRank(engineOf(b)) || engineOf(a).localeCompare(engineOf(b)));
  const groupsByFile = new Map<string, Finding[][]>();
  const order: Finding[][] = [];
  for (const finding of ordered) {
    const groups = groupsByFile.get(finding.file) ?? [];
    const engine = engineOf(finding);
    const group = groups.find((members) => !members.some((m) => engineOf(m) === engine) && members.some((m) => sameDefect(m, finding)));
    if (group) {
      group.push(finding);
      continue;
    }
    const created = [finding];
    groups.push(created);
    groupsByFile.set(finding.file, groups);
    order.push(created);
  }
  return order.map(mergeGroup);
}

function mergeGroup(members: readonly Finding[]): Finding {
  const [primary, ...others] = members;
  if (!primary) throw new Error('mergeGroup: empty group');
  if (others.length === 0) return primary;
  // Our rules' severities are curated per defect; a linter's level says only whether CI should fail on it.
  const worst = members.reduce((a, b) => (severityRank(b.severity) < severityRank(a.severity) ? b : a));
  return {
    ...primary,
    severity: engineOf(primary) === BUILT_IN_ENGINE ? primary.severity : worst.severity,
    cwe: primary.cwe ?? members.find((m) => m.cwe !== null)?.cwe ?? null,
    templateFix: primary.templateFix ?? members.find((m) => m.templateFix !== null)?.templateFix ?? null,
    engines: [...new Set(members.map(engineOf))],
  };
}
