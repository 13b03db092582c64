import { describe, expect, it } from 'vitest';
import { minifiedReason } from '../../src/crawl/analyze-file.js';

const longLine = `!function(n,e){${'var a=n.x||e.y;'.repeat(60)}}(window,document);`;

describe('minifiedReason', () => {
  it('takes a small file that opens with a /*! license banner and then one long line for a minified build', () => {
    const build = `/*! modernizr 3.6.0 (Custom Build) | MIT *\n * https://modernizr.com/download/?-setclasses !*/\n${longLine}\n`;
    expect(build.length).toBeLessThan(2048);
    expect(minifiedReason(build)).toMatch(/^a minified build \(a \/\*! license banner, then a line of \d+ characters\)$/);
  });

  it('leaves a small hand-written file alone, banner or not, and a small file with a long line but no banner', () => {
    expect(minifiedReason('/*! keep this notice */\nexport function add(a, b) {\n  return a + b;\n}\n')).toBeNull();
    expect(minifiedReason(`// data\n${longLine}\n`)).toBeNull();
  });
});
