import { parse } from '@ast-grep/napi';
import type { NapiConfig, SgNode, SgRoot } from '@ast-grep/napi';
import type { Language } from '../../domain/finding.js';
import { astGrepLang } from '../languages.js';
import type { ActiveRules } from './match.js';
import { MatchSet, mightHoldSecret, scanAssignment, scanFormats, scanPlainText } from './match.js';

interface LanguageKinds {
  readonly strings: readonly string[];
  readonly comments: readonly string[];
  /** Node kind -> the field holding the assigned name, for nodes that give a string value a name. */
  readonly named: Readonly<Record<string, string>>;
}

const JS: LanguageKinds = {
  strings: ['string', 'template_string'],
  comments: ['comment'],
  named: { variable_declarator: 'name', assignment_expression: 'left', pair: 'key', public_field_definition: 'name', field_definition: 'property', assignment_pattern: 'left' },
};

const KINDS: Readonly<Record<Language, LanguageKinds>> = {
  javascript: JS,
  typescript: JS,
  tsx: JS,
  python: { strings: ['string'], comments: ['comment'], named: { assignment: 'left', keyword_argument: 'name', pair: 'key', default_parameter: 'name' } },
  go: {
    strings: ['interpreted_string_literal', 'raw_string_literal'],
    comments: ['comment'],
    named: { var_spec: 'name', const_spec: 'name', short_var_declaration: 'left', assignment_statement: 'left', keyed_element: 'key' },
  },
  java: { strings: ['string_literal'], comments: ['line_comment', 'block_comment'], named: { variable_declarator: 'name', assignment_expression: 'left', element_value_pair: 'key' } },
};

/** Nodes between a string and the node that names it: `x = ("…")`, Go's `var a, b = "…", "…"`. */
const WRAPPERS = new Set(['expression_list', 'parenthesized_expression', 'as_expression', 'satisfies_expression', 'literal_element', 'non_null_expression']);

const CONFIGS = new Map<Language, NapiConfig>();

function configFor(language: Language): NapiConfig {
  let config = CONFIGS.get(language);
  if (!config) {
    const kinds = KINDS[language];
    config = { rule: { any: [...kinds.strings, ...kinds.comments].map((kind) => ({ kind })) } };
    CONFIGS.set(language, config);
  }
  return config;
}

/** The text between a string literal's delimiters (prefixes such as Python's `rb` and triple quotes included). */
function literalContent(text: string): { content: string; skip: number } {
  const open = /^[A-Za-z]*("""|'''|"|'|`)/.exec(text);
  if (!open?.[1]) return { content: text, skip: 0 };
  const quote = open[1];
  const end = text.endsWith(quote) && text.length >= open[0].length + quote.length ? text.length - quote.length : text.length;
  return { content: text.slice(open[0].length, end), skip: open[0].length };
}

/** The last identifier of a name node's text: `this.config.apiKey` -> `apiKey`; quotes of a dict key dropped. */
function nameText(node: SgNode): string {
  const text = node.text().replace(/^["'`]|["'`]$/g, '');
  const parts = text.split(/[^A-Za-z0-9_-]+/).filter((part) => part.length > 0);
  return parts[parts.length - 1] ?? '';
}

/**
 * Algolia's search-only key sits beside its index name in every DocSearch/InstantSearch config
 * (`{ appId, apiKey, indexName }`): it is public by design, sent to every visitor's browser. The admin
 * key never travels with an index name. (js/no-hardcoded-credentials makes the same exception.)
 */
function isPublicSearchKey(naming: SgNode): boolean {
  if (String(naming.kind()) !== 'pair') return false;
  const object = naming.parent();
  return !!object?.children().some((sibling) => String(sibling.kind()) === 'pair' && sibling.field('key')?.text().replace(/^["']|["']$/g, '') === 'indexName');
}

/** The name a string literal is assigned to, if the AST says so (the string is the value, not the key). */
function assignedName(node: SgNode, kinds: LanguageKinds): string | null {
  let current: SgNode | null = node.parent();
  for (let depth = 0; current && depth < 3; depth++) {
    const field = kinds.named[String(current.kind())];
    if (field) {
      const name = current.field(field) ?? current.children().find((child) => child.isNamed()) ?? null;
      if (!name) return null;
      const start = node.range().start.index;
      const { start: nameStart, end: nameEnd } = name.range();
      if (start >= nameStart.index && start < nameEnd.index) return null;
      if (isPublicSearchKey(current)) return null;
      return nameText(name);
    }
    if (!WRAPPERS.has(String(current.kind()))) return null;
    current = current.parent();
  }
  return null;
}

/**
 * Secrets in a source file, found through its AST (`parsed`: a tree of exactly `text`, if at hand): string literals are tested against the provider
 * formats and, when the AST assigns them to a secret-like name, against the entropy rule; comments go
 * through the plain-text scanner. Code outside literals and comments is never matched.
 */
export function scanCode(text: string, language: Language, rules: ActiveRules, parsed?: SgRoot): MatchSet {
  const into = new MatchSet();
  if (!mightHoldSecret(text, rules)) return into;
  const kinds = KINDS[language];
  // The rules' own tree of this exact text, when the caller has it, saves a second parse.
  const root = (parsed ?? parse(astGrepLang(language), text)).root();
  for (const node of root.findAll(configFor(language))) {
    // Every secret is a run of 12+ characters, so shorter literals and comments are left alone.
    if (node.range().end.index - node.range().start.index < 12) continue;
    const kind = String(node.kind());
    const start = node.range().start.index;
    if (kinds.comments.includes(kind)) {
      scanPlainText(node.text(), start, rules, into);
      continue;
    }
    const { content, skip } = literalContent(node.text());
    scanFormats(content, start + skip, rules, into);
    const name = assignedName(node, kinds);
    if (name) scanAssignment(name, content, start + skip, rules, into);
  }
  return into;
}
