import type { SecretRule } from './detectors.js';
import { GENERIC_SECRET_RULE, SECRET_RULES } from './detectors.js';
import { isHighEntropySecret, mayNameSecret, nameWords, isSecretName } from './entropy.js';
import { isDevPassword, isDocumentationHost, isPlaceholder } from './placeholders.js';

/** One secret found: which rule, where the secret itself sits (UTF-16 offsets in the file), and its value. */
export interface SecretMatch {
  readonly rule: SecretRule;
  readonly start: number;
  readonly end: number;
  readonly secret: string;
}

/** Rules that take part in a scan (the config may disable some by id). */
export interface ActiveRules {
  readonly formats: readonly SecretRule[];
  readonly generic: boolean;
}

export function activeRules(disabled: ReadonlySet<string>): ActiveRules {
  return { formats: SECRET_RULES.filter((rule) => !disabled.has(rule.id)), generic: !disabled.has(GENERIC_SECRET_RULE.id) };
}

/** Collects matches, the first one to claim a span keeping it (rules run most specific first). */
export class MatchSet {
  readonly matches: SecretMatch[] = [];

  add(match: SecretMatch): void {
    if (this.matches.some((m) => m.start < match.end && match.start < m.end)) return;
    this.matches.push(match);
  }
}

const URL_RULES = new Set(['secrets/database-url', 'secrets/url-credentials']);
/** Compiled once with the `d` flag, which gives the offsets of the `secret` group. */
const INDEXED = new Map<RegExp, RegExp>();

function indexed(pattern: RegExp): RegExp {
  let out = INDEXED.get(pattern);
  if (!out) {
    out = new RegExp(pattern.source, 'gd');
    INDEXED.set(pattern, out);
  }
  return out;
}

/**
 * Whether any rule could report anything in this file: a format that matches somewhere in the text, an
 * assignment rule's name words, or a secret-like word for the entropy rule. Every literal and comment
 * is a part of the text, so when this is false the AST scan would find nothing and is skipped.
 */
export function mightHoldSecret(text: string, rules: ActiveRules): boolean {
  const lower = text.toLowerCase();
  for (const rule of rules.formats) {
    for (const format of rule.formats) {
      if (!format.keywords.some((keyword) => lower.includes(keyword))) continue;
      // `search` ignores and keeps lastIndex: the shared global regex stays ready for matchAll.
      if (text.search(format.pattern) >= 0) return true;
    }
    if (rule.assignments.some((assignment) => assignment.nameWords.every((word) => lower.includes(word)))) return true;
  }
  return rules.generic && mayNameSecret(lower);
}

/** Provider formats in `text`, which sits at `offset` in the file. */
export function scanFormats(text: string, offset: number, rules: ActiveRules, into: MatchSet): void {
  const lower = text.toLowerCase();
  for (const rule of rules.formats) {
    for (const format of rule.formats) {
      if (!format.keywords.some((keyword) => lower.includes(keyword))) continue;
      for (const m of text.matchAll(indexed(format.pattern))) {
        const secret = m.groups?.secret;
        const span = m.indices?.groups?.secret;
        if (!secret || !span) continue;
        if (format.validate && !format.validate(secret)) continue;
        if (URL_RULES.has(rule.id) ? isDevPassword(secret, m.groups?.user) || isDocumentationHost(m.groups?.host) : isPlaceholder(secret)) continue;
        into.add({ rule, start: offset + span[0], end: offset + span[1], secret });
      }
    }
  }
}

const AUTH_SCHEME = /^(?:Bearer|Basic|Token)\s+/i;

/**
 * A value assigned to a name (an AST assignment, property or keyword argument in code; `KEY=value` or
 * `key: value` in text). Provider rules that need the name (an AWS secret key has no prefix) come
 * first; otherwise a secret-like name with a high-entropy value is a generic secret.
 */
export function scanAssignment(name: string, rawValue: string, valueOffset: number, rules: ActiveRules, into: MatchSet): void {
  const scheme = AUTH_SCHEME.exec(rawValue)?.[0] ?? '';
  const value = rawValue.slice(scheme.length);
  const start = valueOffset + scheme.length;
  if (value.length === 0 || isPlaceholder(value)) return;
  const words = nameWords(name);
  for (const rule of rules.formats) {
    for (const assignment of rule.assignments) {
      if (assignment.nameWords.every((word) => words.includes(word)) && assignment.value.test(value)) {
        into.add({ rule, start, end: start + value.length, secret: value });
        return;
      }
    }
  }
  if (rules.generic && isSecretName(name) && isHighEntropySecret(value)) {
    into.add({ rule: GENERIC_SECRET_RULE, start, end: start + value.length, secret: value });
  }
}

/** `KEY=value`, `key: value`, `"key": "value"`, `key = 'value'`, `key := value` anywhere on a line. */
const ASSIGNMENT = /(?<name>[A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*(?::=|=>|=|:)[ \t]*["'`]?(?<value>(?:(?:Bearer|Basic|Token)[ \t]+)?[^\s"'`,;<>(){}[\]]+)/dg;
/** `<password>value</password>` in XML. */
const XML_ELEMENT = /<(?<name>[A-Za-z_][\w.-]*)>(?<value>[^<\s]+)<\/\k<name>>/dg;

/**
 * The line/token scanner for text that is not code (config, env, docs; comments inside code): provider
 * formats over the whole text, then every `name = value` pair of every line.
 */
export function scanPlainText(text: string, offset: number, rules: ActiveRules, into: MatchSet): void {
  scanFormats(text, offset, rules, into);
  for (const pattern of [ASSIGNMENT, XML_ELEMENT]) {
    for (const m of text.matchAll(pattern)) {
      const name = m.groups?.name;
      const value = m.groups?.value;
      const span = m.indices?.groups?.value;
      if (!name || !value || !span) continue;
      scanAssignment(name, value, offset + span[0], rules, into);
    }
  }
}
