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

  it('gives nothing when a value is markup the code built on purpose, or inside a script (escaping would break the page)', () => {
    const inFunction = (body: string) => parse(astGrepLang('python'), `def view(rows, key):\n${body}\n`).root().find({ rule: { kind: 'call', regex: '^mark_safe' } })?.field('arguments')?.child(1);
    const cases = [
      '    footer = f"<tr>{key}</tr>"\n    return mark_safe(f"<table>{key}{footer}</table>")',
      '    msg = ""\n    msg += "<br>"\n    return mark_safe(f"<p>{key}{msg}</p>")',
      '    return mark_safe(f"<tbody>{\'\'.join(rows)}</tbody>")',
      '    return mark_safe(f"<p>{key}{\'<b>!</b>\' if rows else \'\'}</p>")',
      '    return mark_safe(f"<p>{key}{sources_html}</p>")',
      '    return mark_safe(f"<script>var s = document.querySelector({json.dumps(key)});</script>")',
      '    return mark_safe(f"<div>{key}{widget.render()}</div>")',
    ];
    for (const body of cases) {
      const text = inFunction(body);
      if (!text) throw new Error(`no mark_safe argument in ${body}`);
      expect(escapedFormatOf(text), body).toBeNull();
    }
    const plain = inFunction('    size = printable_filesize(rows)\n    return mark_safe(f"<b>{size}</b> for {key.name} ({rows[0]}, {len(rows)})")');
    if (!plain) throw new Error('no argument');
    expect(escapedFormatOf(plain)).toEqual({ format: '"<b>{}</b> for {} ({}, {})"', args: 'size, key.name, rows[0], len(rows)' });
  });

  it('gives nothing for markup built another way', () => {
    // a spec or conversion would apply to the escaped text (format_html escapes first); an f-string operand is markup
    for (const code of [`f"{x=}"`, `f"{x:{width}}"`, `f"<td>{price:.2f}</td>"`, `f"<b>{name!r}</b>"`, `"<div>" + f"<b>{label}</b>" + name + "</div>"`, `"<p>%d</p>" % n`, `"%s %s" % pair`, `b"<p>%s</p>" % x`, `"<p>" + a + '</p>'`, `"".join(parts)`, `"{}".format(*args)`]) {
      expect(escapedFormatOf(built(code)), code).toBeNull();
    }
  });
});
