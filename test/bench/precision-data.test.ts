import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// The precision corpus and its labels are committed data (issue 13): pinned, outside the
// evaluation-reserved projects, and every label names a finding of a corpus repository at its commit.
const corpus = JSON.parse(readFileSync('bench/precision/corpus.json', 'utf8')) as { repositories: { name: string; repo: string; commit: string }[] };
const labels = (JSON.parse(readFileSync('bench/precision/labels.json', 'utf8')) as { labels: Record<string, unknown>[] }).labels;

const RESERVED = ['nodegoat', 'dvna', 'juice-shop', 'nodejs-goof', 'semgrep-rules', 'expressjs/express', 'koajs/koa', 'ljharb/qs', 'npm/node-semver', 'tj/commander.js', 'uuidjs/uuid', 'chalk/chalk', 'babel/babel'];

describe('precision corpus', () => {
  it('pins at least ten repositories to full commits, none of them reserved for evaluation', () => {
    expect(corpus.repositories.length).toBeGreaterThanOrEqual(10);
    for (const entry of corpus.repositories) {
      expect(entry.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(RESERVED.some((name) => entry.repo.toLowerCase().includes(name))).toBe(false);
    }
    expect(new Set(corpus.repositories.map((r) => r.name)).size).toBe(corpus.repositories.length);
  });

  it('labels name a corpus repository at its commit, a file, a line, a rule, a verdict and a reason', () => {
    const commits = new Map(corpus.repositories.map((r) => [r.name, r.commit]));
    const keys = new Set<string>();
    for (const label of labels) {
      expect(commits.get(String(label.repo))).toBe(label.commit);
      expect(typeof label.file).toBe('string');
      expect(Number.isInteger(label.line) && (label.line as number) > 0).toBe(true);
      expect(typeof label.rule).toBe('string');
      expect(['TP', 'FP']).toContain(label.verdict);
      expect(String(label.reason).trim().length).toBeGreaterThan(3);
      const key = `${String(label.repo)}:${String(label.file)}:${String(label.line)}:${String(label.rule)}`;
      expect(keys.has(key), `duplicate label ${key}`).toBe(false);
      keys.add(key);
    }
  });
});
