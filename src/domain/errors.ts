/**
 * The one catalogue of expected failures. Each code has a message template, the HTTP status the API
 * will answer with, and the exit code of the CLI. Anything thrown that is not a RoachError is a bug.
 */
export const ERROR_CATALOGUE = {
  CR_ERR_USAGE: { status: 400, exit: 2, doc: 'A command was called with wrong or missing arguments.' },
  CR_ERR_PATH_NOT_FOUND: { status: 404, exit: 2, doc: 'A path given to Code Roach does not exist.' },
  CR_ERR_NOT_A_DIRECTORY: { status: 400, exit: 2, doc: 'A directory was expected but a file was given.' },
  CR_ERR_PROJECT_PATH_TAKEN: { status: 409, exit: 2, doc: 'The folder, or one inside or around it, is already a project of another organization: a folder or repository belongs to one organization only.' },
  CR_ERR_PATH_UNREADABLE: { status: 403, exit: 2, doc: 'A path exists but cannot be read (permissions).' },
  CR_ERR_CONFIG_INVALID: { status: 400, exit: 2, doc: 'The project config file is malformed; the message names the field.' },
  CR_ERR_RULE_INVALID: { status: 500, exit: 2, doc: 'A rule file is malformed; the message names the file and the field.' },
  CR_ERR_DATA_DIR_LOCKED: { status: 409, exit: 3, doc: 'Another crawl holds the data directory; wait for it or remove a stale lock.' },
  CR_ERR_STORE_NEWER: { status: 500, exit: 3, doc: 'The database was migrated by a newer Code Roach than this one.' },
  CR_ERR_STORE_FAILED: { status: 500, exit: 3, doc: 'The store could not be opened or written.' },
  CR_ERR_FIX_NOT_FOUND: { status: 404, exit: 4, doc: 'No fix with that id exists in this project.' },
  CR_ERR_FIX_STATE: { status: 409, exit: 4, doc: 'The fix is not in a state that allows this action (e.g. rolling back a fix that was never applied).' },
  CR_ERR_FILE_CHANGED: { status: 409, exit: 4, doc: 'The file changed since the fix was applied or proposed; nothing was written.' },
  CR_ERR_APPLY_FAILED: { status: 500, exit: 4, doc: 'Writing a fix failed and the original bytes were restored.' },
  CR_ERR_NOT_FOUND: { status: 404, exit: 2, doc: 'No organization or project with that id or path exists for the caller (another tenant\'s resources answer the same).' },
  CR_ERR_SERVICE_CONFIG: { status: 500, exit: 2, doc: 'An environment setting (DATABASE_URL, REDIS_URL, worker limits) is malformed or missing for this command; the message names it.' },
  CR_ERR_DATABASE_UNREACHABLE: { status: 503, exit: 3, doc: 'The PostgreSQL server named by DATABASE_URL cannot be reached or refused the credentials.' },
  CR_ERR_REDIS_UNREACHABLE: { status: 503, exit: 3, doc: 'The Redis server named by REDIS_URL cannot be reached or refused the credentials.' },
  CR_ERR_JOB_PAYLOAD: { status: 400, exit: 2, doc: 'A job payload does not match its schema in the job catalogue; the message names the field.' },
  CR_ERR_NOTIFY_REJECTED: { status: 422, exit: 4, doc: 'A notification channel refused the message (4xx); it is not retried. Check the channel URL.' },
  CR_ERR_UNAUTHENTICATED: { status: 401, exit: 2, doc: 'The request has no valid credentials: a missing, expired or forged bearer token, or an unknown or revoked API key.' },
  CR_ERR_FORBIDDEN: { status: 403, exit: 2, doc: "The caller's role in the organization or project does not allow this action." },
  CR_ERR_REQUEST_INVALID: { status: 400, exit: 2, doc: 'A request parameter, query or body does not match the route schema; the message names the field.' },
  CR_ERR_RATE_LIMITED: { status: 429, exit: 2, doc: 'Too many requests from this caller for this kind of route; retry after the Retry-After header.' },
  CR_ERR_GIT: { status: 400, exit: 2, doc: 'A git operation for --baseline or --changed-since failed: not a git repository, or an unknown ref.' },
  CR_ERR_SECRET_UNREADABLE: { status: 500, exit: 3, doc: 'A stored secret cannot be decrypted: its key is neither ROACH_SECRET_KEY nor in ROACH_SECRET_KEYS_PREVIOUS, or the ciphertext was altered.' },
  CR_ERR_URL_FORBIDDEN: { status: 422, exit: 2, doc: 'An outgoing URL (notification channel, git remote) resolves to a private, loopback, link-local or metadata address, or uses a protocol this server does not allow; ROACH_OUTBOUND_ALLOW and ROACH_GIT_ALLOW_FILE widen what is allowed.' },
  CR_ERR_ADAPTER_FAILED: { status: 502, exit: 3, doc: 'An analyzer adapter (ESLint, oxlint, TypeScript, SARIF import) could not run: its config does not load, its tool is missing, or its output or SARIF file is malformed. The crawl reports it per adapter and goes on.' },
  CR_ERR_SANDBOX_UNAVAILABLE: { status: 503, exit: 3, doc: "Repository commands are enabled for a project but this worker has no working sandbox (bubblewrap and prlimit, with namespaces allowed); the commands are refused and the crawl reports why." },
  CR_ERR_MIGRATION_CHANGED: { status: 500, exit: 3, doc: 'A migration that was already applied to the database differs from the file this Code Roach ships (or is missing); the message names the file. Applied migrations are never edited: restore the file or migrate a fresh database.' },
  CR_ERR_INTERNAL: { status: 500, exit: 70, doc: 'A bug in Code Roach: the request id in the answer finds it in the server log.' },
  CR_ERR_FINDINGS_AT_THRESHOLD: { status: 200, exit: 1, doc: 'The crawl found issues at or above --fail-on severity (CI gate).' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An expected failure with a catalogue code. `details` carries machine-readable context. */
export class RoachError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RoachError';
    this.code = code;
    this.details = Object.freeze({ ...details });
  }

  get exitCode(): number {
    return ERROR_CATALOGUE[this.code].exit;
  }

  get httpStatus(): number {
    return ERROR_CATALOGUE[this.code].status;
  }
}

export function isRoachError(error: unknown): error is RoachError {
  return error instanceof RoachError;
}
