import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { RoachError } from '../domain/errors.js';
import { resolveAllowed } from '../integrations/net/ssrf-guard.js';
import type { OutboundPolicy } from '../integrations/net/ssrf-guard.js';

const exec = promisify(execFile);

/** What this server may clone from: https and ssh always, file:// only when enabled (tests, local mirrors). */
export interface GitRemotePolicy {
  readonly allowFile: boolean;
  /** Private hosts a remote may resolve to (ROACH_OUTBOUND_ALLOW), as for notification URLs. */
  readonly outbound: OutboundPolicy;
  readonly timeoutMs?: number;
}

const forbidden = (message: string): RoachError => new RoachError('CR_ERR_URL_FORBIDDEN', message, { field: 'gitUrl' });
const SCP_LIKE = /^([A-Za-z0-9._-]+)@([A-Za-z0-9.-]+):(?!\/\/)(.+)$/;
/** Branch, tag or commit names: no option look-alikes, no "..", no control characters. */
const REF = /^(?!-)(?!.*\.\.)[A-Za-z0-9._/-]{1,200}$/;

/**
 * Checks a remote before anything is cloned: the protocol allow-list, no credentials in the URL (use a
 * deploy key or a credential helper: secrets in URLs end up in logs and `git remote -v`), and a host
 * that does not resolve to a private address unless allowed. Returns the URL git will be given.
 */
export async function checkGitRemote(url: string, policy: GitRemotePolicy): Promise<string> {
  const scp = SCP_LIKE.exec(url);
  if (scp?.[2]) {
    await resolveAllowed(scp[2], policy.outbound);
    return url;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RoachError('CR_ERR_REQUEST_INVALID', 'gitUrl is neither a URL (https://, ssh://) nor user@host:path.', { field: 'gitUrl' });
  }
  if (parsed.password || (parsed.protocol === 'https:' && parsed.username)) {
    throw forbidden('Credentials in git URLs are refused: use a deploy key (ssh) or a credential helper on the server.');
  }
  switch (parsed.protocol) {
    case 'https:':
    case 'ssh:':
      await resolveAllowed(parsed.hostname, policy.outbound);
      return parsed.toString();
    case 'file:':
      if (!policy.allowFile) throw forbidden('file:// remotes are disabled on this server (ROACH_GIT_ALLOW_FILE).');
      return parsed.toString();
    default:
      throw forbidden(`git remotes must use https or ssh, not ${parsed.protocol.replace(/:$/, '')}.`);
  }
}

export function checkGitRef(ref: string): string {
  if (!REF.test(ref)) throw new RoachError('CR_ERR_REQUEST_INVALID', `"${ref}" is not a branch, tag or commit name git would accept here.`, { field: 'ref' });
  return ref;
}

/** Longest git output quoted in an error: enough for every line git prints on a failed clone. */
const GIT_OUTPUT_LIMIT = 8_000;

/**
 * git output as it may be shown to the caller: credentials in URLs (`https://user:token@host`, which
 * redirects or a credential helper can still put there) replaced by `***`, and its length capped.
 */
export function maskGitOutput(output: string): string {
  const masked = output.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@');
  return masked.length > GIT_OUTPUT_LIMIT ? `${masked.slice(0, GIT_OUTPUT_LIMIT)}…` : masked;
}

/**
 * git with the safety settings every call gets: no hooks from anywhere (a cloned repository's
 * content never runs), only the allowed protocols (also for submodules and redirects), no prompts.
 */
async function safeGit(cwd: string, args: readonly string[], policy: GitRemotePolicy): Promise<string> {
  const config = [
    '-c', 'core.hooksPath=/dev/null',
    '-c', 'protocol.allow=never',
    '-c', 'protocol.https.allow=always',
    '-c', 'protocol.ssh.allow=always',
    '-c', `protocol.file.allow=${policy.allowFile ? 'always' : 'never'}`,
    '-c', 'core.fsmonitor=false',
  ];
  try {
    const { stdout } = await exec('git', [...config, ...args], {
      cwd,
      timeout: policy.timeoutMs ?? 300_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'false', SSH_ASKPASS: 'false', GIT_SSH_COMMAND: process.env.GIT_SSH_COMMAND ?? 'ssh -o BatchMode=yes' },
    });
    return stdout;
  } catch (error) {
    // All of stderr: the cause is often on an earlier line ("fatal: ..." after "warning: redirecting ...").
    const stderr = maskGitOutput(String((error as { stderr?: string }).stderr ?? '').trim());
    throw new RoachError('CR_ERR_GIT', `git ${args[0]} failed: ${stderr || maskGitOutput((error as Error).message)}`, { command: args[0] });
  }
}

/**
 * Clones `url` at `ref` (default branch when null) into a new folder under `parent` and returns it.
 * `--filter=blob:none` rather than `--depth`: history stays complete (blame needs it for developer
 * attribution) while file contents are fetched only for what is checked out.
 */
export async function cloneRemote(url: string, ref: string | null, parent: string, policy: GitRemotePolicy): Promise<string> {
  await mkdir(parent, { recursive: true });
  const target = path.join(parent, randomUUID());
  const temp = `${target}.cloning`;
  try {
    await safeGit(parent, ['clone', '--quiet', '--filter=blob:none', '--no-tags', ...(ref ? ['--branch', ref] : []), '--', url, temp], policy);
    await rename(temp, target);
    return target;
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Brings a clone to the remote's current `ref` (or default branch): the clone mirrors the remote, so
 * fixes applied in it last until the next fetch. `url` is the checked remote, fetched by URL so a
 * clone's own config cannot redirect it.
 */
export async function updateClone(dir: string, ref: string | null, policy: GitRemotePolicy, url: string): Promise<string> {
  await safeGit(dir, ['fetch', '--quiet', '--filter=blob:none', '--no-tags', '--', url, ...(ref ? [ref] : ['HEAD'])], policy);
  await safeGit(dir, ['reset', '--quiet', '--hard', 'FETCH_HEAD'], policy);
  return (await safeGit(dir, ['rev-parse', 'HEAD'], policy)).trim();
}
