import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { Severity } from '../domain/severity.js';
import type { RuleFile } from './rule-schema.js';

/**
 * The severity a rule's match is reported at: the rule's own, or its `lowerSeverity.to` when the matched
 * node also matches `lowerSeverity.when` (checked on the node alone, with the rule file's utils), a context
 * where the same code does less harm.
 */
export function severityIn(definition: RuleFile, node: SgNode): Severity {
  const lower = definition.lowerSeverity;
  if (!lower) return definition.severity;
  const config = { rule: lower.when, ...(definition.utils ? { utils: definition.utils } : {}) } as NapiConfig;
  return node.matches(config) ? lower.to : definition.severity;
}
