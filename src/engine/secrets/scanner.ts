import type { SgRoot } from '@ast-grep/napi';
import ignore from 'ignore';
import type { FileLanguage, Finding } from '../../domain/finding.js';
import { ALL_SECRET_RULES } from './detectors.js';
import type { SecretRule } from './detectors.js';
import { secretFindings } from './findings.js';
import type { SecretMatch } from './match.js';
import { activeRules, MatchSet, scanPlainText } from './match.js';
import { inExampleComment, isLocalhostKeyFile } from './placeholders.js';
import { scanCode } from './scan-code.js';

export interface SecretScanOptions {
  /** Off: no file is scanned for secrets (and text files are not walked). */
  readonly enabled: boolean;
  /** Gitignore-style patterns of files never scanned for secrets (other rules still run on code files). */
  readonly exclude: readonly string[];
  /** Rule ids switched off, e.g. `secrets/jwt`. */
  readonly disabled: readonly string[];
}

export interface SecretScan {
  readonly findings: Finding[];
  /** Where the secrets are, so the caller can mask other findings of the same file. Never leaves the worker. */
  readonly matches: readonly SecretMatch[];
}

export interface SecretScanner {
  /** Scans one decoded file: code through its AST (`parsed`: a tree of exactly `text`, if at hand), other text with the line scanner. */
  scan(text: string, file: string, language: FileLanguage, parsed?: SgRoot): SecretScan;
}

/** Ids of all secrets rules, for `roach rules list` and the baseline settings key. */
export const SECRET_RULE_IDS: readonly string[] = ALL_SECRET_RULES.map((rule) => rule.id);

/** Builds the scanner for one crawl's settings, or null when secrets scanning is off. */
export function createSecretScanner(options: SecretScanOptions): SecretScanner | null {
  if (!options.enabled) return null;
  const rules = activeRules(new Set(options.disabled));
  const excluded = ignore().add([...options.exclude]);
  return {
    scan(text, file, language, parsed) {
      if (excluded.ignores(file)) return { findings: [], matches: [] };
      const set = language === 'text' ? new MatchSet() : scanCode(text, language, rules, parsed);
      if (language === 'text') scanPlainText(text, 0, rules, set);
      const localKey = isLocalhostKeyFile(file);
      const matches = set.matches.filter((match) => !(localKey && match.rule.id === 'secrets/private-key') && !inExampleComment(text, match.start));
      return { findings: secretFindings(text, file, language, matches), matches };
    },
  };
}

/** A secrets rule by id, for report metadata (SARIF rules) and documentation. */
export function secretRuleById(id: string): SecretRule | undefined {
  return ALL_SECRET_RULES.find((rule) => rule.id === id);
}
