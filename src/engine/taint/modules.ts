import { builtinModules } from 'node:module';
import { isRelativeSpecifier } from '../../domain/module-facts.js';
import type { SgNode } from '@ast-grep/napi';
import { functionName } from './calls.js';
import { propertyName } from './syntax.js';

/**
 * How a module's functions are reached from other modules of the project (issue 16): the export key a
 * function is called by (see domain/module-facts.ts), and the bindings through which a module calls
 * functions it imports from them. Read from the syntax tree: `export`, `module.exports`,
 * `exports.x`, `import`, `require`.
 */

/** A local name bound to another module of the project, or to one of its exports. */
export interface ImportBinding {
  readonly specifier: string;
  /** null: the module value itself (namespace, default import, whole require, an instance of it). */
  readonly key: string | null;
}

/** What a module exports, by local name: the key importers call it by. */
export interface ExportShape {
  /** Local function (or class/object) name -> export key. */
  readonly keys: ReadonlyMap<string, string>;
  /** Local names whose value is exported as the module value or an instance of it (objects, classes). */
  readonly wholes: ReadonlySet<string>;
}

const BUILTINS = new Set(builtinModules);

/**
 * A specifier that may name a module of the project: a relative one, or any other but Node's own modules
 * (a TypeScript path alias such as `@/lib/db` looks like a package name; the crawl's join tells them apart
 * with the project's tsconfig, see engine/module-join.ts).
 */
function inProject(specifier: string): boolean {
  if (isRelativeSpecifier(specifier)) return true;
  return specifier !== '' && !specifier.startsWith('node:') && !BUILTINS.has(specifier) && !BUILTINS.has(specifier.split('/')[0] ?? '');
}

function stringValue(node: SgNode | null | undefined): string | null {
  return node?.kind() === 'string' ? (node.namedChildren()[0]?.text() ?? '') : null;
}

/** `module.exports` -> [], `module.exports.find` / `exports.find` -> ['find'], anything else null. */
function exportsPath(node: SgNode | null): string[] | null {
  if (!node) return null;
  const text = node.text();
  if (text === 'module.exports') return [];
  if (node.kind() !== 'member_expression') return null;
  const object = node.field('object');
  const property = node.field('property')?.text();
  if (!object || !property) return null;
  if (object.text() === 'exports') return [property];
  return object.text() === 'module.exports' ? [property] : null;
}

/** The top-level assignments `module.exports… = value` and `export …` statements (read once per file). */
export function exportShape(root: SgNode): ExportShape {
  const keys = new Map<string, string>();
  const wholes = new Set<string>();
  const name = (value: SgNode | null | undefined): string | null => {
    if (!value) return null;
    if (value.kind() === 'identifier') return value.text();
    // module.exports = new Dao(db)
    if (value.kind() === 'new_expression') return name(value.field('constructor'));
    return null;
  };
  for (const statement of root.children()) {
    if (statement.kind() === 'expression_statement') {
      const assignment = statement.namedChildren()[0];
      if (assignment?.kind() !== 'assignment_expression') continue;
      const path = exportsPath(assignment.field('left'));
      const value = assignment.field('right');
      if (!path || !value) continue;
      const local = name(value);
      if (path.length === 0 && local) {
        keys.set(local, 'default');
        wholes.add(local);
      } else if (path.length === 0 && value.kind() === 'object') {
        for (const entry of value.namedChildren()) {
          if (entry.kind() === 'shorthand_property_identifier') keys.set(entry.text(), entry.text());
          const target = entry.kind() === 'pair' ? name(entry.field('value')) : null;
          const key = entry.kind() === 'pair' ? entry.field('key') : null;
          if (target && key) keys.set(target, propertyName(key));
        }
      } else if (path.length === 1 && local && path[0]) keys.set(local, path[0]);
    } else if (statement.kind() === 'export_statement') {
      const isDefault = statement.children().some((child) => child.kind() === 'default');
      const value = statement.field('value');
      const local = name(value);
      if (isDefault && local) {
        keys.set(local, 'default');
        wholes.add(local);
      }
      const clause = statement.children().find((child) => child.kind() === 'export_clause');
      for (const specifier of clause?.namedChildren() ?? []) {
        const own = specifier.field('name')?.text();
        const alias = specifier.field('alias')?.text();
        if (own) keys.set(own, alias ?? own);
      }
    }
  }
  return { keys, wholes };
}

/** Whether the module exports anything at all (ES exports, `module.exports`, `exports.x`): else no entry can be reached from outside. */
export function exportsAnything(root: SgNode): boolean {
  return root.children().some((statement) => {
    if (statement.kind() === 'export_statement') return true;
    const assignment = statement.kind() === 'expression_statement' ? statement.namedChildren()[0] : null;
    return assignment?.kind() === 'assignment_expression' && exportsPath(assignment.field('left')) !== null;
  });
}

/** Whether an object literal or class is the module value (or its instance) or exported by name. */
function holderExported(holder: SgNode, shape: ExportShape): boolean {
  const parent = holder.parent();
  if (!parent) return false;
  if (parent.kind() === 'export_statement') return true;
  if (parent.kind() === 'assignment_expression' && parent.field('right')?.id() === holder.id()) return exportsPath(parent.field('left'))?.length === 0;
  const own = holder.field('name')?.text() ?? (parent.kind() === 'variable_declarator' ? parent.field('name')?.text() : undefined);
  return own !== undefined && topLevel(holder) && (shape.wholes.has(own) || shape.keys.has(own));
}

function topLevel(node: SgNode): boolean {
  for (let parent = node.parent(); parent; parent = parent.parent()) {
    const kind = parent.kind();
    if (kind === 'program') return true;
    if (kind !== 'export_statement' && kind !== 'lexical_declaration' && kind !== 'variable_declaration' && kind !== 'variable_declarator') return false;
  }
  return false;
}

/**
 * The key by which other modules call `fn`, or null when they cannot: `export function find`, `exports.find =
 * (id) => …`, `module.exports = { find(id) {…} }`, a method of an exported class, `module.exports = fn`.
 */
export function entryKeyOf(fn: SgNode, shape: ExportShape): string | null {
  const parent = fn.parent();
  if (!parent) return null;
  const kind = fn.kind();
  if (kind === 'method_definition') {
    const method = fn.field('name')?.text() ?? null;
    const holder = parent.kind() === 'class_body' ? parent.parent() : parent;
    if (!method || method === 'constructor' || !holder) return null;
    return holderExported(holder, shape) ? method : null;
  }
  if (parent.kind() === 'export_statement') return parent.children().some((child) => child.kind() === 'default') ? 'default' : functionName(fn);
  if (parent.kind() === 'assignment_expression' && parent.field('right')?.id() === fn.id()) {
    const path = exportsPath(parent.field('left'));
    return path ? (path[0] ?? 'default') : null;
  }
  if (parent.kind() === 'pair') {
    const object = parent.parent();
    const key = parent.field('key');
    return object && key && holderExported(object, shape) ? propertyName(key) : null;
  }
  const name = functionName(fn);
  if (!name || !topLevel(fn)) return null;
  if (parent.kind() === 'variable_declarator' && parent.parent()?.parent()?.kind() === 'export_statement') return name;
  return shape.keys.get(name) ?? null;
}

/** `require('./x')` -> './x' for a specifier that may name a module of the project. */
function requiredSpecifier(node: SgNode | null | undefined): string | null {
  if (node?.kind() !== 'call_expression' || node.field('function')?.text() !== 'require') return null;
  const specifier = stringValue(node.field('arguments')?.namedChildren()[0]);
  return specifier !== null && inProject(specifier) ? specifier : null;
}

/** The names this module binds to other modules of the project (or to packages: the join drops those); `typed`: TypeScript. */
export function importBindings(root: SgNode, typed = false): Map<string, ImportBinding> {
  const bindings = new Map<string, ImportBinding>();
  for (const statement of root.findAll({ rule: { kind: 'import_statement' } })) {
    const specifier = stringValue(statement.field('source'));
    if (specifier === null || !inProject(specifier)) continue;
    const clause = statement.children().find((child) => child.kind() === 'import_clause');
    for (const child of clause?.children() ?? []) {
      if (child.kind() === 'identifier') bindings.set(child.text(), { specifier, key: null });
      if (child.kind() === 'namespace_import') for (const id of child.namedChildren()) bindings.set(id.text(), { specifier, key: null });
      if (child.kind() !== 'named_imports') continue;
      for (const named of child.namedChildren()) {
        const own = named.field('name')?.text();
        const local = named.field('alias')?.text() ?? own;
        if (own && local) bindings.set(local, { specifier, key: own });
      }
    }
  }
  const declarators = root.findAll({ rule: { kind: 'variable_declarator', has: { field: 'value', any: [{ kind: 'call_expression' }, { kind: 'member_expression' }, { kind: 'new_expression' }] } } });
  for (const declarator of declarators) {
    const target = declarator.field('name');
    const value = declarator.field('value');
    if (!target || !value) continue;
    const whole = requiredSpecifier(value);
    const member = value.kind() === 'member_expression' ? requiredSpecifier(value.field('object')) : null;
    if (whole && target.kind() === 'identifier') bindings.set(target.text(), { specifier: whole, key: null });
    else if (whole && target.kind() === 'object_pattern') {
      for (const entry of target.namedChildren()) {
        if (entry.kind() === 'shorthand_property_identifier_pattern') bindings.set(entry.text(), { specifier: whole, key: entry.text() });
        const key = entry.kind() === 'pair_pattern' ? entry.field('key') : null;
        const local = entry.kind() === 'pair_pattern' ? entry.field('value') : null;
        if (key && local?.kind() === 'identifier') bindings.set(local.text(), { specifier: whole, key: propertyName(key) });
      }
    } else if (member && target.kind() === 'identifier') bindings.set(target.text(), { specifier: member, key: value.field('property')?.text() ?? null });
  }
  // `const dao = new Dao(db)` with Dao imported: its methods are the module's exports
  for (const declarator of declarators) {
    const target = declarator.field('name');
    const value = declarator.field('value');
    if (target?.kind() !== 'identifier' || value?.kind() !== 'new_expression') continue;
    const imported = bindings.get(value.field('constructor')?.text() ?? '');
    if (imported) bindings.set(target.text(), { specifier: imported.specifier, key: null });
  }
  // `constructor(private readonly users: UsersService)` (TypeScript parameter properties, as NestJS injects
  // services): `this.users` is an instance of the imported class
  const properties = typed ? root.findAll({ rule: { kind: 'required_parameter', has: { kind: 'accessibility_modifier' } } }) : [];
  for (const param of properties) {
    const name = param.field('pattern');
    const type = param.field('type')?.namedChildren()[0];
    const imported = type?.kind() === 'type_identifier' ? bindings.get(type.text()) : undefined;
    if (name?.kind() === 'identifier' && imported) bindings.set(`this.${name.text()}`, { specifier: imported.specifier, key: null });
  }
  return bindings;
}

/** The export a call runs, when its callee is bound to another module: `find(x)`, `dao.find(x)`, `require('./dao').find(x)`. */
export function calledExport(call: SgNode, bindings: ReadonlyMap<string, ImportBinding>): { specifier: string; key: string } | null {
  const callee = call.field('function');
  if (!callee) return null;
  if (callee.kind() === 'identifier') {
    const binding = bindings.get(callee.text());
    return binding ? { specifier: binding.specifier, key: binding.key ?? 'default' } : null;
  }
  if (callee.kind() !== 'member_expression') return null;
  const object = callee.field('object');
  const method = callee.field('property')?.text();
  if (!object || !method) return null;
  const required = requiredSpecifier(object);
  if (required) return { specifier: required, key: method };
  const binding = object.kind() === 'identifier' || object.kind() === 'member_expression' ? bindings.get(object.text()) : undefined;
  return binding && binding.key === null ? { specifier: binding.specifier, key: method } : null;
}
