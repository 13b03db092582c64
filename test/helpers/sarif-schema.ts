import { readFileSync } from 'node:fs';
import path from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import type { ValidateFunction } from 'ajv';
import { REPO_ROOT } from './project.js';

/** The official SARIF 2.1.0 schema (rtm.5, draft-04), as shipped by @microsoft/jest-sarif. */
export function sarifValidator(): ValidateFunction {
  const file = path.join(REPO_ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const schema = JSON.parse(readFileSync(file, 'utf8')) as object;
  // The schema's language-tag pattern is not valid with the `u` flag; ajv would reject the schema.
  return new AjvDraft04.default({ strict: false, allErrors: true, unicodeRegExp: false, logger: false }).compile(schema);
}
