/**
 * Variables a repository command on the user's own machine (embedded CLI) still gets when the
 * environment is scrubbed: enough to find its tools, its home and its locale, nothing that usually
 * holds a credential (tokens, database URLs, cloud keys, ROACH_* settings).
 */
const HOST_PASSED = ['PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'TMPDIR', 'TERM', 'TZ', 'LANG', 'LC_ALL', 'LC_CTYPE', 'LC_MESSAGES'] as const;

/**
 * The environment of repository commands run by the embedded CLI: the allow-listed variables of
 * this process plus CI=true, or, when the user opted in (`--inherit-env`), all of it. Read here, in
 * config/, so nothing downstream reads `process.env`.
 */
export function commandEnvironment(inherit: boolean, source: NodeJS.ProcessEnv = process.env): Readonly<Record<string, string>> {
  const entries = Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined);
  const kept = inherit ? entries : entries.filter(([name]) => (HOST_PASSED as readonly string[]).includes(name));
  return Object.freeze({ ...Object.fromEntries(kept), CI: 'true' });
}
