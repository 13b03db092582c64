import { parse, Lang } from '@ast-grep/napi';
import { describe, expect, it } from 'vitest';
import { parameterizeSql, sqlLiteral } from '../../src/engine/sql-parameterize.js';

/** The SQL expression of `const sql = <code>;`. */
function sqlNode(code: string) {
  const node = parse(Lang.JavaScript, `const sql = ${code};`).root().find({ rule: { kind: 'variable_declarator' } })?.field('value');
  if (!node) throw new Error('no value');
  return node;
}

describe('parameterizeSql', () => {
  it('binds values that stand where SQL takes one, numbered or not', () => {
    expect(parameterizeSql(sqlNode("`UPDATE t SET a = '${x}', b = ${y} WHERE id IN (${z})`"), 'dollar')).toEqual({ text: 'UPDATE t SET a = $1, b = $2 WHERE id IN ($3)', values: ['x', 'y', 'z'] });
    expect(parameterizeSql(sqlNode("'SELECT * FROM t WHERE a >= ' + lo + ' LIMIT ' + (n + 1)"), 'question')).toEqual({ text: 'SELECT * FROM t WHERE a >= ? LIMIT ?', values: ['lo', '(n + 1)'] });
  });

  it('gives nothing where a fix could be wrong', () => {
    // escapes, placeholders of its own, a pattern, a name, a sum before any string, a constant
    for (const code of ["'a = \\'' + x + '\\''", "`a = ? AND b = ${x}`", "`name LIKE '%${x}%'`", '`SELECT ${cols} FROM t`', "a + b + ' = c'", "'SELECT 1'", "`x = ${a}'`"]) {
      expect(parameterizeSql(sqlNode(code), 'question'), code).toBeNull();
    }
  });
});

describe('sqlLiteral', () => {
  it("quotes as the file does unless the SQL holds that quote; multi-line SQL in a template literal", () => {
    expect(sqlLiteral('a = ?', "'")).toBe("'a = ?'");
    expect(sqlLiteral("a = 'x' AND b = ?", "'")).toBe(`"a = 'x' AND b = ?"`);
    expect(sqlLiteral('SELECT *\nFROM t WHERE a = ?', '"')).toBe('`SELECT *\nFROM t WHERE a = ?`');
    // all three quotes in it: no literal this writes safely
    expect(sqlLiteral('a = `x` AND b = "y" AND c = \'z\'', "'")).toBeNull();
  });
});
