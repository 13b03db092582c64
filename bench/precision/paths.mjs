// The bench's own, deliberately simple judgement of where a finding is: test/example/benchmark code
// and generated/vendored code. It is independent of the crawler's classification on purpose, so the
// report measures the crawler instead of repeating it. Paths and a file's first and last lines only.
import { closeSync, openSync, readSync, statSync } from 'node:fs';

const TEST_SEGMENTS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'e2e', 'benchmark', 'benchmarks', 'bench', 'example', 'examples', 'fixtures', '__fixtures__', '__mocks__', 'testdata', 'test-d']);
const GENERATED_SEGMENTS = new Set(['dist', 'build', 'vendor', 'out']);

export function classifyPath(file) {
  const segments = file.split('/');
  const base = segments[segments.length - 1];
  const dirs = segments.slice(0, -1);
  const test =
    dirs.some((d) => TEST_SEGMENTS.has(d)) ||
    /\.(test|spec|bench)\.[cm]?[jt]sx?$/.test(base) ||
    /^test_.*\.py$|_test\.py$|^conftest\.py$/.test(base) ||
    base.endsWith('_test.go');
  const generated = dirs.some((d) => GENERATED_SEGMENTS.has(d)) || /\.min\.[cm]?js$/.test(base);
  return { test, generated };
}

/** A source map comment at the end, or a generated-code marker in the first lines. */
export function isGeneratedText(absolute) {
  let fd;
  try {
    const size = statSync(absolute).size;
    fd = openSync(absolute, 'r');
    const headBytes = Buffer.alloc(Math.min(size, 1024));
    readSync(fd, headBytes, 0, headBytes.length, 0);
    const tailBytes = Buffer.alloc(Math.min(size, 512));
    readSync(fd, tailBytes, 0, tailBytes.length, Math.max(0, size - tailBytes.length));
    const head = headBytes.toString('utf8');
    const tail = tailBytes.toString('utf8').trimEnd();
    return /@generated|Code generated .* DO NOT EDIT/.test(head) || /\n\/\/# sourceMappingURL=\S+$/.test(tail);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
