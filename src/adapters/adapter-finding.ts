import type { Finding, TemplateFix } from '../domain/finding.js';
import { issueFingerprint, patternFingerprint } from '../domain/fingerprint.js';
import type { LineIndex } from './source-text.js';

const SNIPPET_LIMIT = 200;

/**
 * What an adapter knows about one reported problem, before it becomes a Finding. `ruleId` is engine-prefixed
 * (`eslint/no-eval`, `ts/TS2322`, `semgrep/<id>`); offsets are UTF-16 offsets into the decoded text.
 */
export type AdapterHit = Pick<Finding, 'ruleId' | 'severity' | 'category' | 'cwe' | 'message' | 'file' | 'language'> & {
  readonly startOffset: number;
  readonly endOffset: number;
  readonly fix: TemplateFix | null;
};

function collapse(text: string): string {
  return text.split(/\s+/).filter((part) => part.length > 0).join(' ');
}

/**
 * Turns one file's hits of one engine into findings with the same fingerprint scheme as the AST engine:
 * rule + file + the flagged text + which occurrence of that text it is. Lines stay out of it, so a finding
 * keeps its identity when code above it moves. A zero-width hit (a tool that names a point) is identified by
 * its line's text instead.
 */
export function findingsOfHits(engine: string, hits: readonly AdapterHit[], index: LineIndex): Finding[] {
  const occurrences = new Map<string, number>();
  const ordered = [...hits].sort((a, b) => a.startOffset - b.startOffset || a.ruleId.localeCompare(b.ruleId));
  return ordered.map((hit) => {
    const range = index.rangeOf(hit.startOffset, hit.endOffset);
    const flagged = index.text.slice(range.startOffset, range.endOffset);
    const tokens = collapse(flagged) || collapse(index.lineText(range.startOffset));
    const key = `${hit.ruleId}\0${tokens}`;
    const occurrence = occurrences.get(key) ?? 0;
    occurrences.set(key, occurrence + 1);
    const snippet = flagged || index.lineText(range.startOffset).trim();
    return {
      ruleId: hit.ruleId,
      severity: hit.severity,
      category: hit.category,
      cwe: hit.cwe,
      message: hit.message,
      file: hit.file,
      language: hit.language,
      range,
      snippet: snippet.length > SNIPPET_LIMIT ? `${snippet.slice(0, SNIPPET_LIMIT)}…` : snippet,
      fingerprint: issueFingerprint(hit.ruleId, hit.file, tokens, occurrence),
      // External tools give no AST shape; the rule plus the flagged tokens is the closest stable identity.
      patternFingerprint: patternFingerprint(hit.ruleId, tokens),
      shape: tokens,
      bindings: {},
      templateFix: hit.fix,
      engines: [engine],
    };
  });
}

/** Groups hits by file so each file's occurrence counting and line index is done once. */
export function hitsByFile(hits: readonly AdapterHit[]): Map<string, AdapterHit[]> {
  const byFile = new Map<string, AdapterHit[]>();
  for (const hit of hits) byFile.set(hit.file, [...(byFile.get(hit.file) ?? []), hit]);
  return byFile;
}
