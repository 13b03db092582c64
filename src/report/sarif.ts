import type { FixSummary } from '../fixes/fix-summary.js';
import { pathToFileURL } from 'node:url';
import type { FindingTrace } from '../domain/finding.js';
import type { CodeRole } from '../domain/code-role.js';
import type { Severity } from '../domain/severity.js';
import type { CrawlReport, ReportedIssue, RuleMetadata } from '../crawl/crawl-report.js';

/** The subset of SARIF 2.1.0 Code Roach writes; field names and nesting follow the OASIS spec. */
export interface SarifLog {
  readonly $schema: string;
  readonly version: '2.1.0';
  readonly runs: readonly SarifRun[];
}

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifRun {
  readonly tool: {
    readonly driver: {
      readonly name: string;
      readonly informationUri: string;
      readonly semanticVersion: string;
      readonly rules: readonly SarifRule[];
    };
  };
  readonly invocations: readonly { readonly executionSuccessful: boolean }[];
  readonly originalUriBaseIds: Readonly<Record<string, { readonly uri: string }>>;
  readonly columnKind: 'utf16CodeUnits';
  readonly results: readonly SarifResult[];
}

export interface SarifRule {
  readonly id: string;
  readonly name: string;
  readonly shortDescription: { readonly text: string };
  readonly fullDescription: { readonly text: string };
  readonly help: { readonly text: string };
  readonly defaultConfiguration: { readonly level: SarifLevel };
  readonly properties: {
    readonly tags: readonly string[];
    readonly precision: 'high';
    readonly 'security-severity'?: string;
  };
}

export interface SarifRegion {
  readonly startLine: number;
  readonly startColumn: number;
  readonly endLine: number;
  readonly endColumn: number;
}

export interface SarifThreadFlowLocation {
  readonly location: {
    readonly physicalLocation: {
      readonly artifactLocation: { readonly uri: string; readonly uriBaseId: string };
      readonly region: { readonly startLine: number; readonly startColumn: number };
    };
    readonly message: { readonly text: string };
  };
}

export interface SarifCodeFlow {
  readonly message: { readonly text: string };
  readonly threadFlows: readonly { readonly locations: readonly SarifThreadFlowLocation[] }[];
}

export interface SarifResult {
  readonly ruleId: string;
  readonly ruleIndex: number;
  readonly level: SarifLevel;
  readonly message: { readonly text: string };
  readonly locations: readonly {
    readonly physicalLocation: {
      readonly artifactLocation: { readonly uri: string; readonly uriBaseId: string };
      readonly region: SarifRegion;
    };
  }[];
  readonly partialFingerprints: Readonly<Record<string, string>>;
  /** With --baseline: SARIF's own word for new against existing results. */
  readonly baselineState?: 'new' | 'unchanged';
  /** Taint rules: the path from the untrusted source to the sink, one thread flow. */
  readonly codeFlows?: readonly SarifCodeFlow[];
  /**
   * `engines`: engines that reported the result when analyzer adapters ran (several for merged duplicates);
   * `codeRole`: the file is test, fixture, example or benchmark code (the rule's `inTests` policy kept it).
   */
  readonly properties?: { readonly engines?: readonly string[]; readonly codeRole?: CodeRole };
  /** The fix Code Roach proposes and queued for review: what it changes, and why (a generated fix's explanation). */
  readonly fixes?: readonly SarifFix[];
}

export interface SarifFix {
  readonly description: { readonly text: string };
  readonly artifactChanges: readonly {
    readonly artifactLocation: { readonly uri: string; readonly uriBaseId: string };
    readonly replacements: readonly { readonly deletedRegion: SarifRegion; readonly insertedContent: { readonly text: string } }[];
  }[];
}

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

const LEVELS: Readonly<Record<Severity, SarifLevel>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
};

/** GitHub ranks security alerts by this CVSS-like score (a string); it only reads it on security rules. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

/** Rules the engine reports by itself, with no rule file behind them, so without metadata in the report. */
const BUILT_IN_DESCRIPTIONS: Readonly<Record<string, { readonly short: string; readonly full: string }>> = {
  'parse-error': {
    short: 'File does not parse.',
    full: "The parser reported syntax errors in this file. When the language's own parser rejects it too, the file cannot run and no other rule is reported in it; otherwise rules ran on the parts that parsed, and findings there may be missing or imprecise until it parses cleanly.",
  },
  'roach/suppression-without-reason': {
    short: 'A roach-ignore comment without a reason.',
    full: 'Suppressions stay honoured, but each should say why the finding is accepted (`roach-ignore-next-line RULE -- reason`), so reviewers can judge it.',
  },
};

/** `js/no-eval` → `JsNoEval`: SARIF's `name` is meant to be an identifier-like, human-readable form of the id. */
function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function toSarifRule(rule: RuleMetadata): SarifRule {
  const isSecurity = rule.category === 'security';
  const tags = new Set<string>([rule.category]);
  if (isSecurity) {
    tags.add('security');
    if (rule.cwe !== null) tags.add(`external/cwe/cwe-${rule.cwe}`);
  }
  const full = rule.rationale.trim() || rule.message;
  return {
    id: rule.id,
    name: pascalCase(rule.id) || rule.id,
    shortDescription: { text: rule.message },
    fullDescription: { text: full },
    help: { text: full === rule.message ? rule.message : `${rule.message}\n\n${full}` },
    defaultConfiguration: { level: LEVELS[rule.severity] },
    properties: {
      tags: [...tags],
      precision: 'high',
      ...(isSecurity ? { 'security-severity': SECURITY_SEVERITY[rule.severity] } : {}),
    },
  };
}

/** A finding whose rule the report carries no metadata for (e.g. `parse-error`) still needs a rule for `ruleIndex`. */
function syntheticRule(finding: ReportedIssue): RuleMetadata {
  const builtIn = BUILT_IN_DESCRIPTIONS[finding.ruleId];
  return {
    id: finding.ruleId,
    severity: finding.severity,
    category: finding.category,
    cwe: finding.cwe,
    message: builtIn?.short ?? `Reported by Code Roach as ${finding.ruleId}.`,
    rationale: builtIn?.full ?? '',
    hasFix: false,
  };
}

/**
 * SARIF regions are 1-based with an exclusive end column, the engine's are 0-based with an exclusive end, so
 * both ends shift by one. An inverted range is collapsed to its start so the region stays valid.
 */
function resultProperties(finding: ReportedIssue): Pick<SarifResult, 'properties'> {
  const engines = finding.engines && finding.engines.length > 0 ? { engines: [...finding.engines] } : {};
  const role = finding.codeRole ? { codeRole: finding.codeRole } : {};
  return Object.keys(engines).length + Object.keys(role).length > 0 ? { properties: { ...engines, ...role } } : {};
}

function toRegion(finding: ReportedIssue): SarifRegion {
  const { startLine, startColumn, endLine, endColumn } = finding.range;
  const start = { line: startLine + 1, column: startColumn + 1 };
  const inverted = endLine < startLine || (endLine === startLine && endColumn < startColumn);
  const end = inverted ? start : { line: endLine + 1, column: endColumn + 1 };
  return { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column };
}

const fixKey = (ruleId: string, file: string, line: number): string => `${ruleId}\0${file}\0${line}`;

/** A queued fix as SARIF's `fixes`: one artifact change per file it touches. */
function toSarifFix(fix: FixSummary): SarifFix {
  const files = [...new Set((fix.replacements ?? []).map((r) => r.file))];
  return {
    description: { text: fix.explanation ?? `Proposed ${fix.safety} fix (${fix.strategy}), confidence ${fix.confidence}; waiting for review in Code Roach.` },
    artifactChanges: files.map((file) => ({
      artifactLocation: { uri: toUriReference(file), uriBaseId: SRCROOT },
      replacements: (fix.replacements ?? [])
        .filter((r) => r.file === file)
        .map((r) => ({ deletedRegion: { startLine: r.startLine, startColumn: r.startColumn, endLine: r.endLine, endColumn: r.endColumn }, insertedContent: { text: r.text } })),
    })),
  };
}

/** A relative path is a URI reference only once spaces, `#`, `%` and friends are percent-encoded. */
function toUriReference(posixPath: string): string {
  return posixPath.split('/').map(encodeURIComponent).join('/');
}

function rootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** The taint path as SARIF shows it in code-scanning alerts: source, each variable, then the sink. */
function codeFlowsOf(finding: ReportedIssue, trace: FindingTrace): SarifCodeFlow[] {
  // A step in another module names its own file: the flow's locations span files.
  const at = (label: string, line: number, column: number, file = finding.file): SarifThreadFlowLocation => ({
    location: { physicalLocation: { artifactLocation: { uri: toUriReference(file), uriBaseId: SRCROOT }, region: { startLine: line + 1, startColumn: column + 1 } }, message: { text: label } },
  });
  const locations = [
    at(`source: ${trace.source.label}`, trace.source.line, trace.source.column, trace.source.file),
    ...trace.steps.map((step) => at(step.label, step.line, step.column, step.file)),
    at('sink', finding.range.startLine, finding.range.startColumn),
  ];
  return [{ message: { text: `Untrusted data from ${trace.source.label}` }, threadFlows: [{ locations }] }];
}

function fixesOf(fix: FixSummary | undefined): Pick<SarifResult, 'fixes'> {
  return fix ? { fixes: [toSarifFix(fix)] } : {};
}

/**
 * Converts a crawl into a SARIF 2.1.0 log that GitHub code scanning accepts, so Code Roach findings show up
 * as code-scanning alerts: stable partial fingerprints let GitHub track an alert across commits, and
 * `security-severity` plus CWE tags put security findings in its security view.
 */
export function toSarif(report: CrawlReport, toolVersion: string): SarifLog {
  const metadata: RuleMetadata[] = [];
  const indexById = new Map<string, number>();
  const addRule = (rule: RuleMetadata): void => {
    if (indexById.has(rule.id)) return;
    indexById.set(rule.id, metadata.length);
    metadata.push(rule);
  };
  for (const rule of report.rules) addRule(rule);
  for (const finding of report.findings) if (!indexById.has(finding.ruleId)) addRule(syntheticRule(finding));
  const queued = new Map(report.fixes.filter((fix) => fix.decision === 'queued' && fix.replacements && fix.replacements.length > 0).map((fix) => [fixKey(fix.ruleId, fix.file, fix.line), fix]));

  const results = report.findings.map(
    (finding): SarifResult => ({
      ruleId: finding.ruleId,
      ruleIndex: indexById.get(finding.ruleId) ?? 0,
      level: LEVELS[finding.severity],
      message: { text: finding.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: toUriReference(finding.file), uriBaseId: SRCROOT },
            region: toRegion(finding),
          },
        },
      ],
      partialFingerprints: {
        'codeRoach/v1': finding.fingerprint,
        'codeRoachPattern/v1': finding.patternFingerprint,
      },
      ...(finding.trace ? { codeFlows: codeFlowsOf(finding, finding.trace) } : {}),
      ...(finding.baselineState ? { baselineState: finding.baselineState === 'new' ? ('new' as const) : ('unchanged' as const) } : {}),
      ...resultProperties(finding),
      ...fixesOf(queued.get(fixKey(finding.ruleId, finding.file, finding.range.startLine + 1))),
    }),
  );

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Code Roach',
            informationUri: 'https://github.com/code-roach/code-roach',
            semanticVersion: toolVersion,
            rules: metadata.map(toSarifRule),
          },
        },
        invocations: [{ executionSuccessful: true }],
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri(report.root) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
}

/** The SARIF log as a file (`--format sarif`, upload with github/codeql-action/upload-sarif). */
export function formatSarif(report: CrawlReport, toolVersion: string): string {
  return `${JSON.stringify(toSarif(report, toolVersion), null, 2)}\n`;
}
