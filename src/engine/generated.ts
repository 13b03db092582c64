import { parse } from '@ast-grep/napi';
import type { NapiConfig, SgNode } from '@ast-grep/napi';
import type { Language } from '../domain/finding.js';
import { astGrepLang } from './languages.js';

/**
 * Generated code recognised by its content: findings in it cannot be fixed where they are (the next
 * build overwrites the fix) and belong to the generator or its input. Every signal is one a generator
 * writes and a person practically never does, so a hand-written file is not skipped for merely using a
 * helper or mentioning a marker:
 * - a header comment saying so: `@generated` (the Facebook/Meta convention) or "generated" together
 *   with "do not edit" on one comment line (Go's `// Code generated ... DO NOT EDIT.`, protoc, most
 *   code generators), looked for only in the comment lines before the first line of code;
 * - JavaScript/TypeScript ending in a `//# sourceMappingURL=` comment (its last line): emitted by
 *   bundlers and compilers, which put it last; a file that builds the comment in a string does not end
 *   with it;
 * - bundler and transpiler shapes, found in the syntax tree (never by scanning code text): tsc's
 *   helper declarations guarded by `(this && this.__x) ||`, one of which suffices because no one
 *   writes that guard by hand; Babel/SWC/rollup helper functions declared at top level, two of them,
 *   or one plus the `__esModule` marker of transpiled CommonJS (one `_extends` alone may be a person's);
 *   calls of `regeneratorRuntime.mark` (Babel's regenerator output); webpack's `__webpack_require__`
 *   or `webpackUniversalModuleDefinition` functions; two or more of esbuild's top-level helper
 *   variables (`__toESM`, `__commonJS`, `__defProp`...); rollup's UMD wrapper
 *   `(function (global, factory) {... define.amd ...})(this, ...)`.
 * - Java whose Javadoc carries MyBatis Generator's `@mbg.generated` tag in its first 16 KiB (the generator
 *   tags every member it writes rather than the file).
 * Only the head and the tail of the text are read for the first two; the tree is parsed only when
 * the text holds one of the helper names at all.
 */

/** Header comment lines looked at, at most: the markers sit in the first lines. */
const HEADER_LINES = 60;
/** Bytes of the tail searched for the source-map comment. */
const TAIL_BYTES = 4096;

const TSC_HELPERS = new Set([
  '__extends', '__assign', '__rest', '__decorate', '__param', '__esDecorate', '__runInitializers', '__propKey', '__setFunctionName',
  '__metadata', '__awaiter', '__generator', '__createBinding', '__exportStar', '__values', '__read', '__spread', '__spreadArrays',
  '__spreadArray', '__await', '__asyncGenerator', '__asyncDelegator', '__asyncValues', '__makeTemplateObject', '__setModuleDefault',
  '__importStar', '__importDefault', '__classPrivateFieldGet', '__classPrivateFieldSet', '__classPrivateFieldIn', '__addDisposableResource',
  '__disposeResources', '__rewriteRelativeImportExtension',
]);

/** Babel's, SWC's and rollup's helper functions, as they declare them at the top level of their output. */
const TRANSPILER_HELPERS = new Set([
  '_interopRequireDefault', '_interopRequireWildcard', '_getRequireWildcardCache', '_classCallCheck', '_createClass', '_defineProperties',
  '_defineProperty', '_inherits', '_possibleConstructorReturn', '_getPrototypeOf', '_setPrototypeOf', '_assertThisInitialized',
  '_asyncToGenerator', 'asyncGeneratorStep', '_typeof', '_slicedToArray', '_toConsumableArray', '_objectSpread', '_objectSpread2',
  '_objectWithoutProperties', '_objectWithoutPropertiesLoose', '_regeneratorRuntime', '_createForOfIteratorHelper',
  '_unsupportedIterableToArray', '_arrayLikeToArray', '_iterableToArray', '_nonIterableSpread', '_nonIterableRest', '_arrayWithHoles',
  '_iterableToArrayLimit', '_toPrimitive', '_toPropertyKey', '_createSuper', '_isNativeReflectConstruct', '_wrapNativeSuper',
  '_interopDefaultLegacy', '_interopNamespace', '_interopNamespaceDefault', '_interopDefault', '_interop_require_default',
  '_interop_require_wildcard', '_class_call_check', '_async_to_generator', '_define_property', '_object_spread', '_ts_generator', '_ts_decorate',
]);

const ESBUILD_HELPERS = new Set([
  '__create', '__defProp', '__getOwnPropDesc', '__getOwnPropNames', '__getProtoOf', '__hasOwnProp', '__commonJS', '__esm', '__export',
  '__copyProps', '__toESM', '__toCommonJS', '__reExport', '__name', '__publicField', '__require', '__defNormalProp', '__spreadValues',
  '__spreadProps', '__async',
]);

/**
 * Strings one of which every file with a helper shape holds (esbuild's helpers all build on `__defProp`
 * or `__create`): the tree is parsed only for those files.
 */
const HINTS = ['this.__', '__defProp', '__create', '__webpack', 'webpackUniversalModuleDefinition', 'egeneratorRuntime', 'define.amd', ...TRANSPILER_HELPERS];

const ESM_MARKER: NapiConfig = {
  rule: { any: [{ has: { pattern: 'Object.defineProperty(exports, "__esModule", $V)' } }, { has: { pattern: 'exports.__esModule = true' } }] },
};
const ROLLUP_UMD: NapiConfig = { rule: { has: { pattern: '(function (global, factory) { $$$ })(this, $$$A)' } } };
const ANYWHERE: NapiConfig = {
  rule: {
    any: [
      { pattern: 'regeneratorRuntime.mark($F)' },
      { pattern: '_regeneratorRuntime().mark($F)' },
      { kind: 'function_declaration', has: { field: 'name', regex: '^__webpack_require__$' } },
      { kind: 'function_expression', has: { field: 'name', regex: '^webpackUniversalModuleDefinition$' } },
      { kind: 'variable_declarator', has: { field: 'name', regex: '^__webpack_modules__$' } },
    ],
  },
};

function isComment(line: string): boolean {
  return line.startsWith('//') || line.startsWith('#') || line.startsWith('/*') || line.startsWith('*');
}

/** `@generated`, or "generated" with "do not edit", in the comment lines before the first line of code. */
export function headerMarker(text: string): string | null {
  const lines = text.slice(0, 16_384).split('\n', HEADER_LINES);
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    if (!isComment(line)) return null;
    const lower = line.toLowerCase();
    if (/(^|[\s*/#])@generated\b/.test(line)) return 'a header comment marks it @generated';
    if (/\b(auto-?)?generated\b/.test(lower) && lower.includes('do not edit')) return `a header comment says "${line.slice(0, 120)}"`;
  }
  return null;
}

/** Whether the last non-empty line is a source-map comment, as bundlers and compilers write it. */
export function endsWithSourceMap(text: string): boolean {
  const tail = text.slice(-TAIL_BYTES).trimEnd();
  const last = tail.slice(tail.lastIndexOf('\n') + 1).trim();
  return /^(\/\/[#@]|\/\*[#@])\s*sourceMappingURL=\S/.test(last);
}

function declaredNames(statement: SgNode): string[] {
  const kind = statement.kind();
  if (kind === 'function_declaration') return [statement.field('name')?.text() ?? ''];
  if (kind !== 'variable_declaration' && kind !== 'lexical_declaration') return [];
  return statement.children().filter((child) => child.kind() === 'variable_declarator').map((child) => child.field('name')?.text() ?? '');
}

/** tsc's guard: `var __awaiter = (this && this.__awaiter) || ...`. */
function tscHelper(statement: SgNode): string | null {
  if (statement.kind() !== 'variable_declaration') return null;
  for (const declarator of statement.children().filter((child) => child.kind() === 'variable_declarator')) {
    const name = declarator.field('name')?.text() ?? '';
    const value = declarator.field('value');
    if (TSC_HELPERS.has(name) && value?.matches({ rule: { pattern: `(this && this.${name}) || $R` } })) return name;
  }
  return null;
}

/** The bundler/transpiler shape of a JavaScript/TypeScript text, found in its tree; null when it has none. */
export function helperShape(text: string, language: Language): string | null {
  if (!HINTS.some((hint) => text.includes(hint))) return null;
  const root = parse(astGrepLang(language), text).root();
  const statements = root.children();
  const transpiler = new Set<string>();
  const esbuild = new Set<string>();
  let esModuleMarker = false;
  for (const [index, statement] of statements.entries()) {
    const tsc = tscHelper(statement);
    if (tsc) return `TypeScript compiler output (helper ${tsc} declared with tsc's guard)`;
    for (const name of declaredNames(statement)) {
      if (TRANSPILER_HELPERS.has(name)) transpiler.add(name);
      if (ESBUILD_HELPERS.has(name)) esbuild.add(name);
    }
    if (statement.kind() === 'expression_statement') {
      esModuleMarker ||= statement.matches(ESM_MARKER);
      if (index < 3 && statement.matches(ROLLUP_UMD) && statement.find({ rule: { pattern: 'define.amd' } })) return 'a bundle (rollup UMD wrapper)';
    }
  }
  const helpers = [...transpiler].sort().join(', ');
  if (transpiler.size >= 2) return `transpiler output (helpers ${helpers})`;
  if (transpiler.size === 1 && esModuleMarker) return `transpiler output (helper ${helpers} in a module marked __esModule)`;
  if (esbuild.size >= 2) return `esbuild output (helpers ${[...esbuild].sort().join(', ')})`;
  const marker = root.find(ANYWHERE);
  if (!marker) return null;
  return marker.text().includes('egeneratorRuntime') ? "Babel's regenerator output (regeneratorRuntime.mark)" : 'a webpack bundle (webpack runtime functions)';
}

/** Bytes of the file's head read for a banner: only the first comment matters, and copying a whole large file would not pay. */
const BANNER_HEAD_BYTES = 8192;
/** Lines of the first comment read for a library banner. */
const BANNER_LINES = 8;
/** A library named with its version: `jQuery JavaScript Library v3.3.1`, `Bootstrap v4.0.0 (https://…)`, `Chart.js 2.7.2`. */
const NAMED_VERSION = /^(?:@license\s+)?([A-Za-z][\w.+-]*(?: [A-Za-z][\w.+-]*){0,3}) v?(\d+\.\d+(?:\.\d+)?(?:-[\w.]+)?)(?:\s|$|,|\|)/;
/** What else a distributed library's banner carries: its home page, copyright or licence. */
const BANNER_COMPANION = /https?:\/\/|\bcopyright\b|\(c\)|\blicen[cs]ed?\b/i;

/**
 * The library a file is a copy of, from the banner a distributed library starts with (the `/*!` comment
 * minifiers keep): a line naming it with its version, and a home page, copyright or licence line in the
 * same comment. Asked only of scripts among a web application's static assets (see crawl/generated-code.ts
 * `inWebAssets`), where such a file is a copy of another project, never the project's own source.
 */
export function libraryBanner(text: string): string | null {
  const comment = firstBlockComment(text);
  if (!comment || !comment.some((line) => BANNER_COMPANION.test(line))) return null;
  for (const line of comment) {
    const named = NAMED_VERSION.exec(line);
    if (named) return `${named[1]} ${named[2]}`;
  }
  // `jQuery nodesContainingText plugin` on one line, `Version: 1.1.2` on another
  const name = comment.find((line) => /^[A-Za-z]/.test(line));
  const version = comment.map((line) => VERSION_LINE.exec(line)).find(Boolean);
  return name && version ? `${name} ${version[1]}` : null;
}

/** A version on a line of its own: `Version: 1.1.2`, `@version 2.0`. */
const VERSION_LINE = /^@?version:?\s+v?(\d+\.\d+(?:\.\d+)?(?:-[\w.]+)?)$/i;

/** The first lines of the block comment a file starts with, without their comment marks; null without one. */
function firstBlockComment(text: string): string[] | null {
  const head = text.slice(0, BANNER_HEAD_BYTES).trimStart();
  if (!head.startsWith('/*')) return null;
  const end = head.indexOf('*/');
  return (end < 0 ? head.slice(0, 2048) : head.slice(0, end)).split('\n', BANNER_LINES).map((line) => line.replace(/^\s*(\/\*!?|\*)\s?/, '').trim());
}

/** A copyright or licence line: `Copyright 2012 Stefan Petre`, `Licensed under the Apache License`. */
const COPYRIGHT_OR_LICENCE = /\bcopyright\b|\(c\)|\blicen[cs]ed?\b/i;

/**
 * The copyright or licence line of the block comment a file starts with, or null. Asked only of scripts in
 * a library folder among the static assets (`static/ajax/libs/datapicker/`, see crawl/generated-code.ts):
 * a file there that carries its author's copyright is another project's.
 */
export function copyrightBanner(text: string): string | null {
  return firstBlockComment(text)?.find((line) => COPYRIGHT_OR_LICENCE.test(line)) ?? null;
}

/** A GitHub repository's address: owner and name. */
const GITHUB_REPOSITORY = /github\.com\/([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)/;

/**
 * The GitHub repository (`owner/name`) a file's first comment gives as its home (`github: https://github.com/
 * icindy/wxParse`), or null. Asked only of scripts in a library folder (see crawl/generated-code.ts
 * `inLibraryFolderOf`): a file there whose banner points to a repository of the folder's name is a copy of it.
 */
export function bannerRepository(text: string): string | null {
  const head = text.slice(0, BANNER_HEAD_BYTES).trimStart();
  let comment: string;
  if (head.startsWith('/*')) {
    const end = head.indexOf('*/');
    comment = head.slice(0, end < 0 ? 2048 : end);
  } else if (head.startsWith('//')) {
    const lines = head.split('\n', BANNER_LINES);
    const stop = lines.findIndex((line) => !line.trimStart().startsWith('//'));
    comment = lines.slice(0, stop < 0 ? lines.length : stop).join('\n');
  } else return null;
  const found = GITHUB_REPOSITORY.exec(comment);
  return found ? `${found[1]}/${(found[2] as string).replace(/\.git$/, '')}` : null;
}

/** Why a file's content shows it is generated, or null. `text` is the decoded file. */
export function generatedContentReason(text: string, language: Language): string | null {
  const header = headerMarker(text);
  if (header) return header;
  // MyBatis Generator marks each member it writes with a `@mbg.generated` Javadoc tag instead of a header.
  if (language === 'java' && /\*\s*@mbg\.generated\b/.test(text.slice(0, 16_384))) return 'MyBatis Generator output (its members carry @mbg.generated)';
  const script = language === 'javascript' || language === 'typescript' || language === 'tsx';
  if (!script) return null;
  if (endsWithSourceMap(text)) return 'it ends with a //# sourceMappingURL= comment (bundler or compiler output)';
  return helperShape(text, language);
}
