import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/domain/fingerprint.js';
import { analyzeSource } from '../../src/engine/analyze.js';
import { applyEdits } from '../../src/engine/fixer.js';
import { loadRules } from '../../src/engine/rules.js';
import { learnAfterDecision } from '../../src/main/run-learn.js';
import { EDITED_IN_REVIEW, approveEditedFix } from '../../src/learning/edited-approval.js';
import { approveFix } from '../../src/fixes/fix-actions.js';
import type { FixActionDeps } from '../../src/fixes/fix-actions.js';
import type { PipelineStore } from '../../src/crawl/ports.js';
import { crawlDir, inProject } from '../helpers/crawl.js';
import { cleanupTemp, tempDir } from '../helpers/project.js';

afterAll(cleanupTemp);

const FILES: Record<string, string> = {
  // js/no-inner-html is off by default (optIn): this project reviews every computed innerHTML.
  '.roach.yml': 'rules:\n  enabled: [js/no-inner-html]\n',
  'src/banner.js': 'export function banner(el, message) {\n  el.innerHTML = message;\n}\n',
  'src/panel.js': 'export function show(el, markup) {\n  if (markup) {\n    el.innerHTML = markup;\n  }\n}\n',
  // Same pattern fingerprint (local names are abstracted), another file, never fixed by a human.
  'src/toast.js': 'export const toast = (el, text) => {\n  el.innerHTML = text;\n};\n',
};

/**
 * A reviewer's fix of one file, as another strategy (here: an LLM) would have queued it: the finding
 * is rewritten by hand from innerHTML to textContent.
 */
async function queueHumanFix(deps: FixActionDeps<PipelineStore>, file: string, replacement = 'textContent'): Promise<string> {
  const text = FILES[file] ?? '';
  const rules = await loadRules();
  const [finding] = analyzeSource({ text, file, language: 'javascript', rules }).findings.filter((f) => f.ruleId === 'js/no-inner-html');
  if (!finding) throw new Error(`no js/no-inner-html finding in ${file}`);
  const crawlId = await deps.store.startCrawl(deps.project, {});
  const ids = await deps.store.upsertIssues(deps.project, crawlId, [finding]);
  await deps.store.finishCrawl(deps.project, crawlId, {});
  const at = text.indexOf('innerHTML', finding.range.startOffset);
  const edits = [{ file, start: at, end: at + 'innerHTML'.length, text: replacement }];
  const fixed = applyEdits(text, edits);
  return deps.store.insertFix(deps.project, {
    issueId: ids.get(finding.fingerprint) ?? '',
    crawlId,
    ruleId: finding.ruleId,
    patternFingerprint: finding.patternFingerprint,
    strategy: 'llm',
    safety: 'unsafe',
    edits,
    template: null,
    diff: '',
    confidence: 0.4,
    validation: [],
    status: 'pending',
    statusReason: null,
    files: [{ path: file, originalBytes: Buffer.from(text), originalSha256: contentHash(Buffer.from(text)), fixedSha256: contentHash(Buffer.from(fixed)) }],
  });
}

describe('learning from review approvals', () => {
  it('a template learned from two approved fixes fixes a third, unseen occurrence in another file', async () => {
    const dir = await tempDir('roach-review-learn-');
    for (const [file, text] of Object.entries(FILES)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    const runs = await inProject(dir, async (deps) => {
      const out = [];
      for (const file of ['src/banner.js', 'src/panel.js']) {
        const approved = await approveFix(deps, await queueHumanFix(deps, file), 'reviewer');
        out.push(await learnAfterDecision(deps, approved));
      }
      return out;
    });
    const [afterOne, afterTwo] = runs;
    if (afterOne instanceof Error || afterTwo instanceof Error || !afterOne || !afterTwo) throw new Error(String(afterOne ?? afterTwo));
    // One approval teaches nothing; the second generalises both.
    expect(afterOne.clusters).toEqual([]);
    expect(afterTwo.promoted.map((t) => [t.pattern, t.rewrite, t.exampleCount, t.source])).toEqual([['el.innerHTML = $A', 'el.textContent = $A', 2, 'review']]);
    expect(await readFile(path.join(dir, 'src/panel.js'), 'utf8')).toContain('    el.textContent = markup;');

    await crawlDir(dir);
    const pending = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['pending']));
    expect(pending.map((fix) => [fix.filePath, fix.strategy, fix.template])).toEqual([['src/toast.js', 'pattern-reuse', 'el.textContent = $A']]);
    await inProject(dir, (deps) => approveFix(deps, pending[0]?.id ?? '', 'reviewer'));
    expect(await readFile(path.join(dir, 'src/toast.js'), 'utf8')).toBe('export const toast = (el, text) => {\n  el.textContent = text;\n};\n');
  });

  it('a reviewer who rewrites a proposal before approving teaches their version, not the proposal', async () => {
    const dir = await tempDir('roach-review-edited-');
    for (const [file, text] of Object.entries(FILES)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    const rules = await loadRules();
    await inProject(dir, async (deps) => {
      for (const file of ['src/banner.js', 'src/panel.js']) {
        // The queued proposal says innerText; the reviewer writes textContent by hand instead.
        const fixId = await queueHumanFix(deps, file, 'innerText');
        await expect(approveEditedFix({ ...deps, rules }, fixId, 'reviewer')).rejects.toMatchObject({ code: 'CR_ERR_USAGE', message: expect.stringContaining('unchanged') });
        const text = FILES[file] ?? '';
        await writeFile(path.join(dir, file), text.replace('innerHTML = ', 'innerHTML = "" + '));
        await expect(approveEditedFix({ ...deps, rules }, fixId, 'reviewer')).rejects.toMatchObject({ code: 'CR_ERR_USAGE', message: expect.stringContaining('still has') });
        await writeFile(path.join(dir, file), text.replace('innerHTML', 'textContent'));
        const approved = await approveEditedFix({ ...deps, rules }, fixId, 'reviewer');
        expect([approved.status, approved.statusReason, approved.diff]).toEqual(['applied', EDITED_IN_REVIEW, expect.stringMatching(/^\+\s+el\.textContent = /m)]);
        await learnAfterDecision(deps, approved);
      }
    });
    const templates = await inProject(dir, (deps) => deps.store.learnedTemplates(deps.project));
    expect(templates.map((t) => [t.pattern, t.rewrite, t.exampleCount])).toEqual([['el.innerHTML = $A', 'el.textContent = $A', 2]]);
    await crawlDir(dir);
    const pending = await inProject(dir, (deps) => deps.store.listFixes(deps.project, ['pending']));
    expect(pending.map((fix) => [fix.filePath, fix.strategy, fix.template])).toEqual([['src/toast.js', 'pattern-reuse', 'el.textContent = $A']]);
  });
});
