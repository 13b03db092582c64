import { afterAll, describe, expect, it } from 'vitest';
import { crawlDir } from '../helpers/crawl.js';
import { cleanupTemp, tempTree } from '../helpers/project.js';

afterAll(cleanupTemp);

describe('where fixes are made', () => {
  it('reports only the parse error of a file that does not parse, and fixes the file beside it', async () => {
    const dir = await tempTree('roach-fix-scope-', {
      'src/broken.js': 'function run() {\n  debugger;\n  return (1 + ;\n}\n',
      'src/ok.js': 'function run() {\n  debugger;\n  return 1;\n}\n',
    });
    const report = await crawlDir(dir, {});
    expect(report.findings.filter((f) => f.ruleId === 'js/no-debugger').map((f) => f.file)).toEqual(['src/ok.js']);
    expect(report.findings.filter((f) => f.file === 'src/broken.js').map((f) => f.ruleId)).toEqual(['parse-error']);
    expect(report.fixes.map((f) => `${f.file}:${f.ruleId}`)).toEqual(['src/ok.js:js/no-debugger']);
  });
});
