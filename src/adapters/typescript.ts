import { existsSync } from 'node:fs';
import path from 'node:path';
import type ts from 'typescript';
import { RoachError } from '../domain/errors.js';
import type { AdapterHit } from './adapter-finding.js';
import { findingsOfHits, hitsByFile } from './adapter-finding.js';
import { importFromProject } from './engine-loader.js';
import type { AdapterInput, AdapterOutcome, AnalyzerAdapter } from './ports.js';
import { LineIndex } from './source-text.js';

export interface TypescriptAdapterOptions {
  /** Project-relative tsconfig; default tsconfig.json at the root. */
  readonly tsconfig?: string;
  /** False: Code Roach's own TypeScript, never the project's install (see AdapterSettings.trustProjectCode). */
  readonly trustProjectCode: boolean;
}

type TsModule = typeof ts;

/**
 * TypeScript's own diagnostics (syntactic and semantic) through the compiler API, with the project's
 * tsconfig and its installed TypeScript when it has one. The program spans the whole project (types flow
 * across files), but diagnostics are taken only for the files this crawl analyzed.
 */
export function typescriptAdapter(options: TypescriptAdapterOptions): AnalyzerAdapter {
  return {
    name: 'typescript',
    engine: 'ts',
    async run(input: AdapterInput): Promise<AdapterOutcome> {
      const configPath = path.resolve(input.root, options.tsconfig ?? 'tsconfig.json');
      if (!existsSync(configPath)) {
        if (options.tsconfig) throw new RoachError('CR_ERR_ADAPTER_FAILED', `typescript: ${configPath} does not exist (adapters.typescript.tsconfig).`, { adapter: 'typescript' });
        return { status: 'skipped', findings: [], detail: 'no tsconfig.json at the project root' };
      }
      const files = input.files.filter((file) => file.language === 'typescript' || file.language === 'tsx');
      if (files.length === 0) return { status: 'skipped', findings: [], detail: 'no TypeScript file changed in this crawl' };
      const loaded = await importFromProject<{ default?: TsModule } & TsModule>(input.root, 'typescript', options.trustProjectCode);
      const tsc: TsModule = loaded.module.default ?? loaded.module;
      const tool = `${loaded.origin} typescript ${tsc.version} with ${path.relative(input.root, configPath)}`;
      const program = createProgram(tsc, configPath);
      const hits: AdapterHit[] = [];
      const indexes = new Map<string, LineIndex>();
      let outside = 0;
      for (const file of files) {
        const source = program.getSourceFile(file.absolutePath);
        if (!source) {
          outside++;
          continue;
        }
        const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
        if (diagnostics.length === 0) continue;
        const text = await input.textOf(file.path);
        if (text === null) continue;
        const index = new LineIndex(text);
        indexes.set(file.path, index);
        for (const diagnostic of diagnostics) {
          if (diagnostic.category !== tsc.DiagnosticCategory.Error && diagnostic.category !== tsc.DiagnosticCategory.Warning) continue;
          const start = diagnostic.start ?? 0;
          hits.push({
            ruleId: `ts/TS${diagnostic.code}`,
            severity: diagnostic.category === tsc.DiagnosticCategory.Error ? 'medium' : 'low',
            category: 'bug',
            cwe: null,
            message: tsc.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
            file: file.path,
            language: file.language,
            startOffset: start,
            endOffset: start + (diagnostic.length ?? 0),
            fix: null,
          });
        }
      }
      const findings = [...hitsByFile(hits)].flatMap(([file, fileHits]) => {
        const index = indexes.get(file);
        return index ? findingsOfHits('ts', fileHits, index) : [];
      });
      const skippedNote = outside > 0 ? `, ${outside} not part of the tsconfig program` : '';
      return { status: 'ran', findings, detail: `${tool}: ${files.length - outside} file(s) checked${skippedNote}` };
    },
  };
}

function createProgram(tsc: TsModule, configPath: string): ts.Program {
  const read = tsc.readConfigFile(configPath, (file) => tsc.sys.readFile(file));
  if (read.error) throw configError(tsc, configPath, [read.error]);
  const parsed = tsc.parseJsonConfigFileContent(read.config, tsc.sys, path.dirname(configPath), undefined, configPath);
  // "No inputs were found" (18003) only means the include globs matched nothing; the program is then empty.
  const fatal = parsed.errors.filter((error) => error.code !== 18003);
  if (fatal.length > 0) throw configError(tsc, configPath, fatal);
  return tsc.createProgram({ rootNames: parsed.fileNames, options: { ...parsed.options, noEmit: true }, projectReferences: parsed.projectReferences ?? [] });
}

function configError(tsc: TsModule, configPath: string, diagnostics: readonly ts.Diagnostic[]): RoachError {
  const text = diagnostics.map((d) => tsc.flattenDiagnosticMessageText(d.messageText, ' ')).join('; ');
  return new RoachError('CR_ERR_ADAPTER_FAILED', `typescript: ${configPath} does not load: ${text}`, { adapter: 'typescript' });
}
