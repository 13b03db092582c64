import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeZodError } from '../domain/describe-zod-error.js';
import { RoachError } from '../domain/errors.js';
import type { Edit, TemplateFix } from '../domain/finding.js';
import type { Category, Severity } from '../domain/severity.js';
import type { AdapterHit } from './adapter-finding.js';
import { findingsOfHits, hitsByFile } from './adapter-finding.js';
import { knownRuleTraits } from './equivalence.js';
import type { AdapterFile, AdapterInput, AdapterOutcome, AnalyzerAdapter } from './ports.js';
import type { SarifArtifactLocationIn, SarifFixIn, SarifLogIn, SarifRegionIn, SarifResultIn, SarifRuleIn, SarifRunIn } from './sarif-schema.js';
import { SarifLogSchema } from './sarif-schema.js';
import { LineIndex } from './source-text.js';

/** Reads and checks one SARIF file; every problem names the file and, for structure, the JSON path. */
export async function readSarifLog(file: string): Promise<SarifLogIn> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (error) {
    throw new RoachError('CR_ERR_ADAPTER_FAILED', `SARIF import: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { adapter: 'sarif', file });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new RoachError('CR_ERR_ADAPTER_FAILED', `SARIF import: ${file} is not JSON: ${(error as Error).message}`, { adapter: 'sarif', file });
  }
  const parsed = SarifLogSchema.safeParse(json);
  if (!parsed.success) throw new RoachError('CR_ERR_ADAPTER_FAILED', `SARIF import: ${file} is not valid SARIF 2.1.0: ${describeZodError(parsed.error)}`, { adapter: 'sarif', file });
  return parsed.data;
}

/** `Semgrep OSS` → `semgrep`, `CodeQL` → `codeql`: the engine name and rule-id prefix of a run's results. */
export function engineName(driverName: string): string {
  const first = driverName.trim().split(/\s+/)[0] ?? driverName;
  return first.toLowerCase().replace(/[^a-z0-9_-]+/g, '-') || 'sarif';
}

interface Counts {
  results: number;
  outside: number;
  notCrawled: number;
  noLocation: number;
}

/** One SARIF file imported as if its tool had run in this crawl; results on files not analyzed now are left out. */
export function sarifImportAdapter(file: string, displayName: string): AnalyzerAdapter {
  return {
    name: `sarif:${displayName}`,
    engine: null,
    async run(input: AdapterInput): Promise<AdapterOutcome> {
      const log = await readSarifLog(file);
      const byPath = new Map(input.files.map((f) => [f.path, f]));
      const counts: Counts = { results: 0, outside: 0, notCrawled: 0, noLocation: 0 };
      const findings = [];
      const engines = new Set<string>();
      for (const run of log.runs) {
        const engine = engineName(run.tool.driver.name);
        engines.add(`${engine}${run.tool.driver.semanticVersion ?? run.tool.driver.version ? ` ${run.tool.driver.semanticVersion ?? run.tool.driver.version}` : ''}`);
        const hits: AdapterHit[] = [];
        const indexes = new Map<string, LineIndex>();
        for (const result of run.results ?? []) {
          counts.results++;
          const hit = await hitOf(engine, run, result, input, byPath, indexes, counts);
          if (hit) hits.push(hit);
        }
        for (const [hitFile, fileHits] of hitsByFile(hits)) {
          const index = indexes.get(hitFile);
          if (index) findings.push(...findingsOfHits(engine, fileHits, index));
        }
      }
      const notes = [
        counts.notCrawled > 0 ? `${counts.notCrawled} on files not analyzed in this crawl (unchanged or not crawled) left out` : '',
        counts.outside > 0 ? `${counts.outside} outside the project refused` : '',
        counts.noLocation > 0 ? `${counts.noLocation} without a file location left out` : '',
      ].filter((note) => note !== '');
      const detail = `${[...engines].join(', ') || 'no runs'}: ${counts.results} result(s), ${findings.length} imported${notes.length > 0 ? `; ${notes.join('; ')}` : ''}`;
      return { status: 'ran', findings, detail };
    },
  };
}

async function hitOf(
  engine: string,
  run: SarifRunIn,
  result: SarifResultIn,
  input: AdapterInput,
  byPath: ReadonlyMap<string, AdapterFile>,
  indexes: Map<string, LineIndex>,
  counts: Counts,
): Promise<AdapterHit | null> {
  const location = result.locations?.[0]?.physicalLocation;
  if (!location) {
    counts.noLocation++;
    return null;
  }
  const relative = projectPath(input.root, run, location.artifactLocation);
  if (relative === null) {
    counts.outside++;
    return null;
  }
  const target = byPath.get(relative);
  const text = target ? await input.textOf(relative) : null;
  if (!target || text === null) {
    counts.notCrawled++;
    return null;
  }
  const index = indexes.get(relative) ?? new LineIndex(text);
  indexes.set(relative, index);
  const rule = ruleOf(run, result);
  const id = result.ruleId ?? result.rule?.id ?? rule?.id ?? 'unknown';
  const ruleId = `${engine}/${id}`;
  const { start, end } = regionOffsets(index, location.region);
  const traits = knownRuleTraits(ruleId);
  const cwe = traits?.cwe ?? cweOf([...(rule?.properties?.tags ?? []), ...(result.properties?.tags ?? [])]);
  const securityScore = Number(result.properties?.['security-severity'] ?? rule?.properties?.['security-severity'] ?? Number.NaN);
  const level = result.level ?? rule?.defaultConfiguration?.level ?? 'warning';
  const isSecurity = Number.isFinite(securityScore) || cwe !== null || (rule?.properties?.tags ?? []).some((tag) => tag.toLowerCase() === 'security');
  return {
    ruleId,
    severity: traits?.severity ?? severityOf(level, securityScore),
    category: traits?.category ?? categoryOf(level, isSecurity),
    cwe,
    message: result.message.text ?? result.message.markdown ?? id,
    file: relative,
    language: target.language,
    startOffset: start,
    endOffset: end,
    fix: fixOf(input.root, run, result.fixes?.[0], relative, index),
  };
}

function ruleOf(run: SarifRunIn, result: SarifResultIn): SarifRuleIn | undefined {
  const rules = run.tool.driver.rules ?? [];
  const index = result.ruleIndex ?? result.rule?.index;
  if (index !== undefined && rules[index]) return rules[index];
  const id = result.ruleId ?? result.rule?.id;
  return id ? rules.find((r) => r.id === id) : undefined;
}

/** GitHub's security-severity bands (CVSS-like) when given; else SARIF's level. */
function severityOf(level: string, securityScore: number): Severity {
  if (Number.isFinite(securityScore)) return securityScore >= 9 ? 'critical' : securityScore >= 7 ? 'high' : securityScore >= 4 ? 'medium' : 'low';
  return level === 'error' ? 'high' : level === 'warning' ? 'medium' : 'low';
}

function categoryOf(level: string, isSecurity: boolean): Category {
  if (isSecurity) return 'security';
  return level === 'error' ? 'bug' : 'maintainability';
}

/** Semgrep tags read `CWE-95: ...`, CodeQL's `external/cwe/cwe-095`; both name the CWE number. */
function cweOf(tags: readonly string[]): number | null {
  for (const tag of tags) {
    const match = /(?:^|\/)cwe-0*(\d+)/i.exec(tag);
    if (match?.[1]) return Number(match[1]);
  }
  return null;
}

/**
 * The artifact's project-relative POSIX path, or null when it lies outside the project. Relative URIs are
 * taken against their uriBaseId's URI when the log gives one, else against the project root (how Semgrep and
 * CodeQL's %SRCROOT% are meant).
 */
function projectPath(root: string, run: SarifRunIn, location: SarifArtifactLocationIn): string | null {
  let absolute: string;
  try {
    if (location.uri.startsWith('file:')) absolute = fileURLToPath(location.uri);
    else {
      const base = location.uriBaseId ? run.originalUriBaseIds?.[location.uriBaseId]?.uri : undefined;
      const baseDir = base?.startsWith('file:') ? fileURLToPath(base) : root;
      absolute = path.resolve(baseDir, decodeURIComponent(location.uri));
    }
  } catch {
    return null;
  }
  const relative = path.relative(root, absolute);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return null;
  return relative.split(path.sep).join('/');
}

/** SARIF regions: 1-based lines and columns (end column exclusive, a missing end meaning end of line), or char offsets. */
function regionOffsets(index: LineIndex, region: SarifRegionIn | undefined): { start: number; end: number } {
  if (!region) return { start: 0, end: 0 };
  if (region.startLine === undefined && region.charOffset !== undefined) {
    return { start: region.charOffset, end: region.charOffset + (region.charLength ?? 0) };
  }
  const startLine = (region.startLine ?? 1) - 1;
  const start = index.offsetOf(startLine, (region.startColumn ?? 1) - 1);
  const endLine = (region.endLine ?? region.startLine ?? 1) - 1;
  const end = region.endColumn !== undefined ? index.offsetOf(endLine, region.endColumn - 1) : index.offsetOf(endLine, Number.MAX_SAFE_INTEGER);
  return { start, end: Math.max(start, end) };
}

/** A tool's proposed fix: unsafe (a producer makes no promise it keeps behaviour), and no reusable template. */
function fixOf(root: string, run: SarifRunIn, fix: SarifFixIn | undefined, file: string, index: LineIndex): TemplateFix | null {
  if (!fix) return null;
  const edits: Edit[] = [];
  for (const change of fix.artifactChanges) {
    // Fixes touching other files than the finding's are not taken: the fix pipeline validates one file at a time.
    if (projectPath(root, run, change.artifactLocation) !== file) return null;
    for (const replacement of change.replacements) {
      const { start, end } = regionOffsets(index, replacement.deletedRegion);
      edits.push({ file, start, end, text: replacement.insertedContent?.text ?? '' });
    }
  }
  return edits.length > 0 ? { edits, safety: 'unsafe', template: null } : null;
}
