import path from 'node:path';
import type { Finding } from '../domain/finding.js';
import { maskOtherFindings } from '../engine/secrets/findings.js';
import { secretRuleById } from '../engine/secrets/scanner.js';
import { readProjectFile } from '../io/project-file.js';
import { decodeSource } from '../io/source-file.js';

/**
 * Masks, in every finding of a file that holds a secret, the secret wherever it shows (snippet, message,
 * bindings) and drops their fixes. Worker findings are masked already; analyzer adapters (ESLint, oxlint,
 * TypeScript, SARIF imports) read files themselves and quote their lines, so the crawl passes all its
 * findings through here before anything is stored or reported. The secrets are taken back from the file
 * at the secret findings' ranges and never leave this function.
 */
export async function maskSecretsInFindings(root: string, findings: readonly Finding[]): Promise<Finding[]> {
  const byFile = new Map<string, Finding[]>();
  for (const finding of findings) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  const out: Finding[] = [];
  for (const [file, fileFindings] of byFile) {
    const secrets = fileFindings.filter((f) => secretRuleById(f.ruleId));
    const others = fileFindings.filter((f) => !secretRuleById(f.ruleId));
    if (secrets.length === 0 || others.length === 0) {
      out.push(...fileFindings);
      continue;
    }
    const bytes = await readProjectFile(root, path.join(root, file)).catch(() => null);
    const decoded = bytes ? decodeSource(bytes) : null;
    if (!decoded?.ok) {
      // The file cannot be read back: nothing it quotes can be checked, so nothing of it is quoted.
      out.push(...secrets, ...others.map((f) => ({ ...f, snippet: '', bindings: {}, templateFix: null })));
      continue;
    }
    const spans = secrets.map((f) => ({ start: f.range.startOffset, end: f.range.endOffset, secret: decoded.text.slice(f.range.startOffset, f.range.endOffset) }));
    out.push(...secrets, ...maskOtherFindings(others, decoded.text, spans.filter((s) => s.secret.length > 0)));
  }
  return out;
}
