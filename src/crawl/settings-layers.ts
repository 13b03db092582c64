import path from 'node:path';
import { parse } from '@ast-grep/napi';
import type { SgNode } from '@ast-grep/napi';
import type { Finding } from '../domain/finding.js';
import { ignoreError } from '../domain/ignore-error.js';
import { astGrepLang } from '../engine/languages.js';
import { readProjectFile } from '../io/project-file.js';
import { decodeSource } from '../io/source-file.js';

/*
 * Layered Python settings (Django's `settings/base.py`, `dev.py`, `prod.py`): the base module holds a
 * development value, such as a SECRET_KEY, and the production module star-imports it (`from .base import *`)
 * and then gives the same name its real value, read from a file or the environment. The hard-coded value
 * is a development default the deployed configuration replaces, so it is not reported as a leaked secret.
 * The judgement looks at the sibling modules of this crawl; a file left unchanged keeps its last verdict.
 */

function root(text: string): SgNode {
  return parse(astGrepLang('python'), text).root();
}

/** The UPPER_CASE name a top-level `NAME = ...` on `line` (0-based) assigns, if any. */
function settingAt(module: SgNode, line: number): string | null {
  for (const statement of module.children()) {
    if (statement.kind() !== 'expression_statement') continue;
    const { start, end } = statement.range();
    if (line < start.line || line > end.line) continue;
    const assignment = statement.children().find((child) => child.kind() === 'assignment');
    const left = assignment?.field('left');
    return left?.kind() === 'identifier' && /^[A-Z][A-Z0-9_]*$/.test(left.text()) ? left.text() : null;
  }
  return null;
}

/** Whether a module star-imports the settings module `stem` (`from .base import *`, `from app.settings.base import *`) and then assigns `name`. */
function replaces(module: SgNode, stem: string, name: string): boolean {
  const imports = module.children().some((statement) => {
    if (statement.kind() !== 'import_from_statement' || !statement.children().some((child) => child.kind() === 'wildcard_import')) return false;
    const from = statement.field('module_name')?.text() ?? '';
    return from === `.${stem}` || from.endsWith(`.${stem}`);
  });
  if (!imports) return false;
  return module.findAll({ rule: { kind: 'assignment', has: { field: 'left', kind: 'identifier', regex: `^${name}$` } } }).length > 0;
}

async function moduleOf(rootDir: string, file: string): Promise<SgNode | null> {
  const bytes = await readProjectFile(rootDir, path.join(rootDir, file)).catch(ignoreError('an unreadable module replaces nothing'));
  const decoded = bytes ? decodeSource(bytes) : null;
  return decoded?.ok ? root(decoded.text) : null;
}

/** The findings without hard-coded secrets of Python settings that a sibling settings module replaces. */
export async function withoutReplacedSettings(rootDir: string, findings: readonly Finding[], files: readonly string[]): Promise<Finding[]> {
  const candidates = findings.filter((f) => f.ruleId.startsWith('secrets/') && f.file.endsWith('.py'));
  if (candidates.length === 0) return [...findings];
  const dropped = new Set<Finding>();
  const modules = new Map<string, Promise<SgNode | null>>();
  const load = (file: string): Promise<SgNode | null> => {
    let module = modules.get(file);
    if (!module) modules.set(file, (module = moduleOf(rootDir, file)));
    return module;
  };
  for (const finding of candidates) {
    const own = await load(finding.file);
    const name = own ? settingAt(own, finding.range.startLine) : null;
    if (!name) continue;
    const dir = path.posix.dirname(finding.file);
    const stem = path.posix.basename(finding.file, '.py');
    const siblings = files.filter((file) => file !== finding.file && file.endsWith('.py') && path.posix.dirname(file) === dir);
    for (const sibling of siblings) {
      const module = await load(sibling);
      if (module && replaces(module, stem, name)) {
        dropped.add(finding);
        break;
      }
    }
  }
  return findings.filter((finding) => !dropped.has(finding));
}
