import path from 'node:path';
import { RoachError } from '../domain/errors.js';
import { contentHash } from '../domain/fingerprint.js';
import { analyzeSource, countSyntaxProblems } from '../engine/analyze.js';
import { afterRegionOf } from '../engine/learn/after-region.js';
import { languageOf } from '../engine/languages.js';
import { ruleSetOf } from '../engine/rules.js';
import type { RuleSet } from '../engine/rules.js';
import type { Edit } from '../domain/finding.js';
import type { FixActionDeps } from '../fixes/fix-actions.js';
import type { StoredFix } from '../fixes/ports.js';
import { decodeSource } from '../io/source-file.js';
import { unifiedDiff } from '../fixes/unified-diff.js';
import { readProjectFile } from '../io/project-file.js';

import { EDITED_IN_REVIEW } from '../fixes/ports.js';
export { EDITED_IN_REVIEW } from '../fixes/ports.js';

/** The one edit turning `before` into `after`: everything between their common prefix and suffix. */
function spanEdit(file: string, before: string, after: string): Edit {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return { file, start, end: before.length - end, text: after.slice(start, after.length - end) };
}

/** The reviewer's version must parse and must have fixed the finding the proposal was for. */
function checkEdit(fix: StoredFix, before: string, after: string, rules: RuleSet): void {
  const language = languageOf(fix.filePath);
  const rule = rules.rules.find((candidate) => candidate.definition.id === fix.ruleId);
  if (!language || !rule) return;
  if (countSyntaxProblems(after, language) > countSyntaxProblems(before, language)) {
    throw new RoachError('CR_ERR_USAGE', `Your edit of ${fix.filePath} does not parse as ${language}; fix it or approve without --edited.`, { file: fix.filePath });
  }
  const only = ruleSetOf([rule]);
  const finding = analyzeSource({ text: before, file: fix.filePath, language, rules: only }).findings.find((f) => f.fingerprint === fix.issueFingerprint);
  if (!finding) return;
  const region = afterRegionOf(before, finding.range.startOffset, finding.range.endOffset, after);
  if (!region) return;
  const still = analyzeSource({ text: after, file: fix.filePath, language, rules: only }).findings.find(
    (f) => f.ruleId === fix.ruleId && f.range.startOffset < Math.max(region.end, region.start + 1) && f.range.endOffset > region.start,
  );
  if (still) {
    throw new RoachError('CR_ERR_USAGE', `Your edit of ${fix.filePath} still has the ${fix.ruleId} finding at line ${still.range.startLine + 1}; nothing was recorded.`, {
      file: fix.filePath,
    });
  }
}

/**
 * Approves a pending fix in the form a reviewer edited it to: the reviewer changed the file by hand,
 * and their version (the file as it is now) becomes the fix, recorded against the bytes the proposal
 * was made for, so a rollback restores those. The proposal itself is recorded as re-edited (it was not
 * right as it stood), and the reviewer's change is a human fix the template learner reads.
 */
export async function approveEditedFix(deps: FixActionDeps & { readonly rules: RuleSet }, fixId: string, actor: string): Promise<StoredFix> {
  const fix = await deps.store.getFix(deps.project, fixId);
  if (!fix) throw new RoachError('CR_ERR_FIX_NOT_FOUND', `No fix ${fixId} in this project (ids are shown by \`roach review\`).`, { fixId });
  if (fix.status !== 'pending') throw new RoachError('CR_ERR_FIX_STATE', `Fix ${fix.id} is ${fix.status}, not pending; only pending fixes can be approved.`);
  const [record, ...more] = await deps.store.fixFiles(deps.project, fix.id);
  if (!record || more.length > 0) throw new RoachError('CR_ERR_USAGE', `Fix ${fix.id} spans several files; only single-file fixes can be approved as edited.`);
  const current = await readProjectFile(deps.root, path.resolve(deps.root, record.path)).catch(() => null);
  if (!current) throw new RoachError('CR_ERR_FILE_CHANGED', `${record.path} cannot be read; nothing was recorded.`, { file: record.path });
  const currentSha = contentHash(current);
  if (currentSha === record.originalSha256) {
    throw new RoachError('CR_ERR_USAGE', `${record.path} is unchanged since the fix was proposed: edit it to the fix you want, or approve without --edited.`);
  }
  const before = decodeSource(record.originalBytes);
  const after = decodeSource(current);
  if (!before.ok || !after.ok) throw new RoachError('CR_ERR_FIX_STATE', `${record.path} cannot be decoded as text; nothing was recorded.`);
  checkEdit(fix, before.text, after.text, deps.rules);
  const edit = spanEdit(record.path, before.text, after.text);
  await deps.store.rebaseFix(
    deps.project,
    fix.id,
    [{ path: record.path, edits: [edit], originalBytes: record.originalBytes, originalSha256: record.originalSha256, fixedSha256: currentSha }],
    unifiedDiff(record.path, before.text, after.text),
  );
  await deps.store.setFixStatus(deps.project, fix.id, 'applied', EDITED_IN_REVIEW, actor);
  await deps.store.markIssueFixed(deps.project, fix.issueId, true, 'approved');
  await deps.store.recordFixOutcomes(deps.project, [{ fixId: fix.id, kind: 're_edited', detail: `edited by ${actor} before approval` }]);
  return (await deps.store.getFix(deps.project, fix.id)) ?? fix;
}
