import type { SgNode } from '@ast-grep/napi';
import { builtStringParts } from './string-parts.js';
import type { Part } from './string-parts.js';

/**
 * The parameterised form of SQL text built from values (issue 14: a taint fix breaks the path, it does not
 * rename the sink): a template literal or a `+` chain that starts with a string becomes constant text with
 * the driver's placeholders, and the spliced expressions become bound values. Only what is sure is done:
 * a value must stand where SQL takes a value (after a comparison, LIKE, LIMIT or OFFSET, in a VALUES or IN
 * list), quoted whole (`'${name}'`) or not at all; a value inside other quoted text (`'%${term}%'`), where
 * a name goes (`ORDER BY ${column}`: names cannot be bound), text with escapes, or SQL with placeholders of
 * its own gets no fix.
 */

/** Where SQL takes a value: after a comparison or LIKE/LIMIT/OFFSET, or in an open VALUES (…) or IN (…) list. */
function takesValue(before: string): boolean {
  const text = before.trimEnd();
  if (/(=|<|>|<>|!=)$/.test(text) || /\b(like|limit|offset)$/i.test(text)) return true;
  if (!/[(,]$/.test(text)) return false;
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ')') depth++;
    else if (text[i] === '(' && depth-- === 0) return /\b(values|in)\s*$/i.test(text.slice(0, i));
  }
  return false;
}

export type PlaceholderStyle = 'question' | 'dollar';

export interface ParameterizedSql {
  /** The SQL text with placeholders, not yet quoted. */
  readonly text: string;
  /** The source text of each bound value, in placeholder order. */
  readonly values: readonly string[];
}

/** SQL text built from `node` with its values as placeholders; null when that is not sure to be right. */
export function parameterizeSql(node: SgNode, style: PlaceholderStyle): ParameterizedSql | null {
  const parts = builtStringParts(node);
  if (!parts || !parts.some((p) => 'value' in p)) return null;
  const constant = parts.flatMap((p) => ('text' in p ? [p.text] : [])).join('');
  // placeholders of its own would be numbered or counted wrong
  if (constant.includes('?') || /\$\d/.test(constant) || constant.includes('\\')) return null;
  let text = '';
  const values: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as Part;
    if ('text' in part) {
      text += part.text;
      continue;
    }
    const next = parts[i + 1];
    const after = next && 'text' in next ? next.text : '';
    const quote = /['"]$/.exec(text)?.[0];
    if (quote !== undefined) {
      // quoted whole: the quotes go with the splice; quoted with other text: a pattern, not a value
      if (!after.startsWith(quote)) return null;
      text = text.slice(0, -1);
      if (next && 'text' in next) parts[i + 1] = { text: after.slice(1) };
    } else if (after.length > 0 && /^['"]/.test(after)) return null;
    if (!takesValue(text)) return null;
    values.push(part.value.text());
    text += style === 'question' ? '?' : `$${values.length}`;
  }
  return { text, values };
}

/** The SQL text as a literal: the file's quote when it holds none, else the other, else a template literal. */
export function sqlLiteral(text: string, preferred: "'" | '"'): string | null {
  const other = preferred === "'" ? '"' : "'";
  if (!text.includes('\n') && !text.includes(preferred)) return `${preferred}${text}${preferred}`;
  if (!text.includes('\n') && !text.includes(other)) return `${other}${text}${other}`;
  return text.includes('`') || text.includes('${') ? null : `\`${text}\``;
}

/** How a driver takes bound values: a placeholder style, and the values as an array, Sequelize's options or spread arguments. */
interface Driver {
  readonly style: PlaceholderStyle;
  readonly values: 'array' | 'replacements' | 'spread';
}

const DOLLAR_ARRAY: Driver = { style: 'dollar', values: 'array' };
const QUESTION_ARRAY: Driver = { style: 'question', values: 'array' };
/** Drivers by the module a file loads: node-postgres and its kin number placeholders; MySQL, SQLite and knex use `?`. */
const DRIVER_MODULES: Readonly<Record<string, Driver>> = {
  pg: DOLLAR_ARRAY,
  'pg-pool': DOLLAR_ARRAY,
  'pg-promise': DOLLAR_ARRAY,
  postgres: DOLLAR_ARRAY,
  mysql: QUESTION_ARRAY,
  mysql2: QUESTION_ARRAY,
  'mysql2/promise': QUESTION_ARRAY,
  sqlite3: QUESTION_ARRAY,
  sqlite: QUESTION_ARRAY,
  'better-sqlite3': QUESTION_ARRAY,
  knex: QUESTION_ARRAY,
  sequelize: { style: 'question', values: 'replacements' },
};
/** Prisma's raw calls take the values as further arguments, numbered `$1`. */
const PRISMA_RAW = new Set(['$queryRawUnsafe', '$executeRawUnsafe']);
/** Calls that run SQL without taking values (`exec`), or prepare it for values given later (`prepare`). */
const NO_VALUES = new Set(['exec', 'prepare']);

/** The modules a file loads: its import sources and `require('…')` arguments. */
function loadedModules(root: SgNode): string[] {
  const sources = root.findAll({ rule: { kind: 'string', any: [{ inside: { kind: 'import_statement', field: 'source' } }, { inside: { kind: 'arguments', inside: { kind: 'call_expression', has: { field: 'function', regex: '^require$' } } } }] } });
  return sources.map((s) => s.text().slice(1, -1));
}

/** The driver behind a query call: by its method (Prisma), else by the one driver family the file loads. */
function driverOf(call: SgNode): Driver | null {
  const callee = call.field('function');
  const method = callee?.kind() === 'member_expression' ? (callee.field('property')?.text() ?? '') : '';
  if (PRISMA_RAW.has(method)) return { style: 'dollar', values: 'spread' };
  if (NO_VALUES.has(method)) return null;
  const drivers = new Set(loadedModules(call.getRoot().root()).flatMap((name) => (DRIVER_MODULES[name] ? [DRIVER_MODULES[name]] : [])));
  return drivers.size === 1 ? ([...drivers][0] ?? null) : null;
}

/** The call's arguments after the SQL may only be a callback, which the values go before (Sequelize: none). */
function restAllowsValues(call: SgNode, sql: SgNode, driver: Driver): boolean {
  const args = call.field('arguments')?.children().filter((c) => c.isNamed() && c.kind() !== 'comment') ?? [];
  if (args[0]?.range().start.index !== sql.range().start.index) return false;
  const rest = args.slice(1);
  if (driver.values === 'replacements') return rest.length === 0;
  return rest.length === 0 || (rest.length === 1 && ['arrow_function', 'function_expression', 'function'].includes(String(rest[0]?.kind())));
}

/**
 * The text that replaces the SQL argument of `call`: the constant query and its values in the driver's
 * form (`'… WHERE id = ?', [id]`); null when the driver, the call or the SQL leave any doubt.
 */
export function parameterizedArguments(call: SgNode, sql: SgNode, quote: "'" | '"'): string | null {
  const driver = driverOf(call);
  if (!driver || !restAllowsValues(call, sql, driver)) return null;
  const parameterized = parameterizeSql(sql, driver.style);
  const literal = parameterized ? sqlLiteral(parameterized.text, quote) : null;
  if (!parameterized || !literal) return null;
  const list = parameterized.values.join(', ');
  const values = driver.values === 'array' ? `[${list}]` : driver.values === 'replacements' ? `{ replacements: [${list}] }` : list;
  return `${literal}, ${values}`;
}
