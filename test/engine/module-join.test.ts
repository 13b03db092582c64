import { parse, Lang } from '@ast-grep/napi';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeSource } from '../../src/engine/analyze.js';
import { joinModules, resolveSpecifier } from '../../src/engine/module-join.js';
import { loadRules } from '../../src/engine/rules.js';
import type { RuleSet } from '../../src/engine/rules.js';
import { calledExport, entryKeyOf, exportShape, importBindings } from '../../src/engine/taint/modules.js';
import type { ModuleFacts } from '../../src/domain/module-facts.js';

let rules: RuleSet;
beforeAll(async () => {
  rules = await loadRules();
});

function keysOf(code: string): Record<string, string | null> {
  const root = parse(Lang.JavaScript, code).root();
  const shape = exportShape(root);
  const keys: Record<string, string | null> = {};
  const functions = root.findAll({ rule: { any: [{ kind: 'function_declaration' }, { kind: 'arrow_function' }, { kind: 'function_expression' }, { kind: 'method_definition' }] } });
  for (const fn of functions) {
    const params = fn.field('parameters') ?? fn.field('parameter');
    keys[params?.text().replace(/[()]/g, '') ?? '?'] = entryKeyOf(fn, shape);
  }
  return keys;
}

describe('export keys: the name other modules call a function by', () => {
  it('reads CommonJS exports', () => {
    expect(keysOf('function a(pa) {}\nfunction b(pb) {}\nconst c = (pc) => 1;\nmodule.exports = { a, renamed: b };\nexports.d = function (pd) {};\nmodule.exports.e = (pe) => pe;\nfunction hidden(ph) {}\n')).toEqual({
      pa: 'a', pb: 'renamed', pc: null, pd: 'd', pe: 'e', ph: null,
    });
    expect(keysOf('module.exports = function (pm) {};\n')).toEqual({ pm: 'default' });
    expect(keysOf('module.exports = { find(pf) {}, save: function (ps) {} };\n')).toEqual({ pf: 'find', ps: 'save' });
  });

  it('reads ES exports, classes and objects exported by name', () => {
    expect(keysOf('export function a(pa) {}\nexport const b = (pb) => 1;\nexport default function (pd) {}\nfunction c(pc) {}\nexport { c as see };\n')).toEqual({ pa: 'a', pb: 'b', pd: 'default', pc: 'see' });
    expect(keysOf('class Repo {\n  constructor(db) {}\n  byName(pn) {}\n}\nmodule.exports = new Repo();\n')).toEqual({ db: null, pn: 'byName' });
    expect(keysOf('export class Repo {\n  byId(pi) {}\n}\nclass Local {\n  m(pl) {}\n}\n')).toEqual({ pi: 'byId', pl: null });
    // a function nested in another is not reachable by its name from outside
    expect(keysOf('export function outer(po) {\n  function inner(pi) {}\n}\n')).toEqual({ po: 'outer', pi: null });
  });
});

describe('calls of other modules', () => {
  const calls = (code: string): (object | null)[] => {
    const root = parse(Lang.JavaScript, code).root();
    const bindings = importBindings(root);
    return root.findAll({ rule: { kind: 'call_expression', not: { has: { field: 'function', regex: '^require$' } } } }).map((call) => calledExport(call, bindings));
  };

  it('resolve imports, requires, destructuring and instances of imported classes', () => {
    expect(calls("import dao from './dao';\nimport { find as f } from '../lib/find.js';\nimport * as ns from './ns';\ndao(1);\ndao.get(1);\nf(1);\nns.run(1);\n")).toEqual([
      { specifier: './dao', key: 'default' },
      { specifier: './dao', key: 'get' },
      { specifier: '../lib/find.js', key: 'find' },
      { specifier: './ns', key: 'run' },
    ]);
    expect(calls("const dao = require('./dao');\nconst { a, b: bee } = require('./ab');\nconst one = require('./one').one;\nconst Repo = require('./repo');\nconst repo = new Repo(db);\ndao.get(1);\na(1);\nbee(1);\none(1);\nrepo.byName(1);\nrequire('./inline').go(1);\n")).toEqual([
      { specifier: './dao', key: 'get' },
      { specifier: './ab', key: 'a' },
      { specifier: './ab', key: 'b' },
      { specifier: './one', key: 'one' },
      { specifier: './repo', key: 'byName' },
      { specifier: './inline', key: 'go' },
    ]);
  });

  it("leave Node's modules and local functions alone, and keep other specifiers (path aliases look like packages)", () => {
    expect(calls("const fs = require('fs');\nimport { exec } from 'node:child_process';\nimport { readFile } from 'fs/promises';\nfunction local(x) {}\nfs.readFile(x);\nexec(x);\nreadFile(x);\nlocal(1);\n")).toEqual([null, null, null, null]);
    expect(calls("import express from 'express';\nimport db from '@/lib/db';\nexpress();\ndb.query(1);\n")).toEqual([
      { specifier: 'express', key: 'default' },
      { specifier: '@/lib/db', key: 'query' },
    ]);
  });
});

describe('resolving a relative specifier to a project file', () => {
  const files = new Set(['src/dao/user.ts', 'src/lib/index.js', 'src/a.js', 'src/b.mjs']);
  it('tries the name, extensions, index files and the TypeScript source of a .js name', () => {
    expect(resolveSpecifier('src/routes/x.ts', '../dao/user.js', files)).toBe('src/dao/user.ts');
    expect(resolveSpecifier('src/routes/x.ts', '../dao/user', files)).toBe('src/dao/user.ts');
    expect(resolveSpecifier('src/x.js', './lib', files)).toBe('src/lib/index.js');
    expect(resolveSpecifier('src/x.js', './a.js', files)).toBe('src/a.js');
    expect(resolveSpecifier('src/x.js', './b', files)).toBe('src/b.mjs');
    expect(resolveSpecifier('src/x.js', './missing', files)).toBeNull();
    expect(resolveSpecifier('src/lib/x.js', '.', files)).toBe('src/lib/index.js');
    expect(resolveSpecifier('src/lib/y/x.js', '..', files)).toBe('src/lib/index.js');
  });
});

describe('resolving a path alias of the nearest tsconfig', () => {
  const files = new Set(['src/lib/db.ts', 'src/lib/index.ts', 'src/config.ts', 'shared/run.ts', 'packages/web/app/util.ts', 'packages/web/app/page.ts', 'packages/api/src/db.ts']);
  const aliases = {
    '': { baseUrl: '', paths: [{ pattern: '@/*', targets: ['src/*'] }, { pattern: '@/lib/special', targets: ['shared/run'] }, { pattern: '#shared/*', targets: ['missing/*', 'shared/*'] }] },
    'packages/web': { baseUrl: null, paths: [{ pattern: '~/*', targets: ['packages/web/app/*'] }] },
    'packages/api': { baseUrl: 'packages/api/src', paths: [] },
  };
  it.each([
    ['src/routes/a.ts', '@/lib/db', 'src/lib/db.ts'],
    ['src/routes/a.ts', '@/lib/db.js', 'src/lib/db.ts'],
    ['src/routes/a.ts', '@/lib', 'src/lib/index.ts'],
    // an exact pattern wins over a wildcard; of wildcards, the longest prefix
    ['src/routes/a.ts', '@/lib/special', 'shared/run.ts'],
    // targets are tried in order
    ['src/routes/a.ts', '#shared/run', 'shared/run.ts'],
    // baseUrl alone resolves a bare specifier
    ['src/routes/a.ts', 'src/config', 'src/config.ts'],
    // a package's own tsconfig, not the root's: its paths, no baseUrl
    ['packages/web/app/page.ts', '~/util', 'packages/web/app/util.ts'],
    ['packages/web/app/page.ts', '@/lib/db', null],
    ['packages/api/src/routes/x.ts', 'db', 'packages/api/src/db.ts'],
    // packages and missing files
    ['src/routes/a.ts', 'express', null],
    ['src/routes/a.ts', '@/missing', null],
  ])('from %s, %s is %s', (from, specifier, expected) => {
    expect(resolveSpecifier(from, specifier, files, aliases)).toBe(expected);
  });
  it('resolves nothing but relative specifiers without aliases', () => {
    expect(resolveSpecifier('src/routes/a.ts', '@/lib/db', files)).toBeNull();
  });
});

describe('joining modules', () => {
  const factsOf = (files: Record<string, string>): Map<string, ModuleFacts> => {
    const facts = new Map<string, ModuleFacts>();
    for (const [file, text] of Object.entries(files)) {
      const found = analyzeSource({ text, file, language: 'javascript', rules }).moduleFacts;
      if (found) facts.set(file, found);
    }
    return facts;
  };
  const route = "const dao = require('../dao/user');\nrouter.get('/u', (req, res) => {\n  dao.byId(req.query.id);\n});\n";
  const dao = "function byId(id) {\n  const sql = 'SELECT * FROM u WHERE id = ' + id;\n  return pool.query(sql);\n}\nmodule.exports = { byId };\n";

  it('reports the sink of the callee with a trace that starts in the caller and names its file', () => {
    const files = { 'routes/user.js': route, 'dao/user.js': dao };
    const { findings, keys } = joinModules(factsOf(files), new Set(Object.keys(files)));
    const [finding, ...rest] = findings.get('dao/user.js') ?? [];
    expect(rest).toEqual([]);
    expect(finding?.ruleId).toBe('js/no-sql-injection');
    expect(finding?.range.startLine).toBe(2);
    expect(finding?.trace?.source).toEqual({ label: 'req.query.id', line: 2, column: 11, file: 'routes/user.js' });
    expect(finding?.trace?.steps.map((step) => [step.label, step.file ?? null])).toEqual([
      ['dao.byId()', 'routes/user.js'],
      ['id', null],
      ['sql', null],
    ]);
    expect(finding?.message).toContain('Untrusted data from req.query.id (routes/user.js line 3) via dao.byId() (routes/user.js line 3), then id (line 1), then sql (line 2).');
    expect(keys.get('dao/user.js')).toMatch(/^[0-9a-f]{32}$/);
    expect(findings.has('routes/user.js')).toBe(false);
  });

  it('finds nothing when the module the call names is not in the project, or the argument is clean', () => {
    expect(joinModules(factsOf({ 'routes/user.js': route, 'dao/other.js': dao }), new Set(['routes/user.js', 'dao/other.js'])).findings.size).toBe(0);
    const clean = route.replace('req.query.id', 'Number(req.query.id)');
    expect(joinModules(factsOf({ 'routes/user.js': clean, 'dao/user.js': dao }), new Set(['routes/user.js', 'dao/user.js'])).findings.size).toBe(0);
  });

  it('follows a call through a path alias', () => {
    const files = { 'src/routes/user.js': route.replace('../dao/user', '@/dao/user'), 'src/dao/user.js': dao };
    const aliases = { '': { baseUrl: null, paths: [{ pattern: '@/*', targets: ['src/*'] }] } };
    expect(joinModules(factsOf(files), new Set(Object.keys(files))).findings.size).toBe(0);
    const [finding] = joinModules(factsOf(files), new Set(Object.keys(files)), aliases).findings.get('src/dao/user.js') ?? [];
    expect(finding?.trace?.source.file).toBe('src/routes/user.js');
  });
});

describe('TypeScript parameter properties', () => {
  it('bind `this.name` to the imported class a constructor injects (NestJS services)', () => {
    const code = "import { UsersService } from './users.service';\nexport class C {\n  constructor(private readonly users: UsersService, private other: Other) {}\n  get(id: string) { return this.users.findOne(id); }\n  put(id: string) { return this.other.save(id); }\n}\n";
    const root = parse(Lang.TypeScript, code).root();
    const bindings = importBindings(root, true);
    expect(root.findAll({ rule: { kind: 'call_expression' } }).map((call) => calledExport(call, bindings))).toEqual([{ specifier: './users.service', key: 'findOne' }, null]);
  });
});
