import { parse } from '@ast-grep/napi';
import { describe, expect, it } from 'vitest';
import { astGrepLang } from '../../src/engine/languages.js';
import { escapedFormatOf } from '../../src/engine/python-format-escaped.js';

/** The right-hand side of `x = <code>`. */
function built(code: string) {
  const node = parse(astGrepLang('python'), `x = ${code}\n`).root().find({ rule: { kind: 'assignment' } })?.field('right');
  if (!node) throw new Error('no right-hand side');
  return node;
}

describe('escapedFormatOf', () => {
  it('takes markup apart into a format template and its values', () => {
    expect(escapedFormatOf(built(`f"<b>{name}</b> {{x}}"`))).toEqual({ format: '"<b>{}</b> {{x}}"', args: 'name' });
    expect(escapedFormatOf(built(`rf'<i>{a}\\d</i>'`))).toEqual({ format: "r'<i>{}\\d</i>'", args: 'a' });
    expect(escapedFormatOf(built(`"<p>{}</p>".format(a, b=c)`))).toEqual({ format: '"<p>{}</p>"', args: 'a, b=c' });
    expect(escapedFormatOf(built(`"<p>" + a + "{x}" + b`))).toEqual({ format: '"<p>{}{{x}}{}"', args: 'a, b' });
    expect(escapedFormatOf(built(`"<p>%s</p>" % name`))).toEqual({ format: '"<p>{}</p>"', args: 'name' });
  });

  it('gives nothing for markup built another way', () => {
    // a spec or conversion would apply to the escaped text (format_html escapes first); an f-string operand is markup
    for (const code of [`f"{x=}"`, `f"{x:{width}}"`, `f"<td>{price:.2f}</td>"`, `f"<b>{name!r}</b>"`, `"<div>" + f"<b>{label}</b>" + name + "</div>"`, `"<p>%d</p>" % n`, `"%s %s" % pair`, `b"<p>%s</p>" % x`, `"<p>" + a + '</p>'`, `"".join(parts)`, `"{}".format(*args)`]) {
      expect(escapedFormatOf(built(code)), code).toBeNull();
    }
  });
});
