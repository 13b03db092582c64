import { createHmac } from 'node:crypto';
import { RoachError } from '../../domain/errors.js';
import { postGuarded } from '../net/ssrf-guard.js';
import type { OutboundPolicy } from '../net/ssrf-guard.js';

export interface NotificationChannel {
  readonly type: 'webhook' | 'slack';
  readonly url: string;
  /** The channel's own signing secret (decrypted); without one, webhooks are signed with the server's. */
  readonly secret?: string | null;
}

export interface NotificationMessage {
  readonly organizationId: string;
  readonly event: string;
  readonly title: string;
  readonly text: string;
  readonly severity: string;
}

export interface DeliveryOptions {
  /** Signs webhook bodies (HMAC-SHA256) so receivers can tell Code Roach's calls from forgeries. */
  readonly webhookSecret: string | null;
  readonly timeoutMs?: number;
  readonly now?: () => number;
  /** Which private destinations are allowed (ROACH_OUTBOUND_ALLOW); checked again at delivery against DNS rebinding. */
  readonly outbound: OutboundPolicy;
}

/** The signature header value for a webhook body: `t=<unix seconds>,v1=<hex HMAC of "t.body">`. */
export function webhookSignature(secret: string, timestamp: number, body: string): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function bodyFor(channel: NotificationChannel, message: NotificationMessage): string {
  if (channel.type === 'slack') {
    // Slack incoming webhooks take mrkdwn text; the title goes first in bold.
    return JSON.stringify({ text: `*${message.title}*${message.text ? `\n${message.text}` : ''}` });
  }
  return JSON.stringify({ event: message.event, organizationId: message.organizationId, severity: message.severity, title: message.title, text: message.text });
}

/**
 * Posts one notification to one channel. A receiver's 4xx (other than 408/429) is permanent: the
 * job fails without retries; network errors and 5xx are thrown to be retried with backoff.
 */
export async function deliverNotification(channel: NotificationChannel, message: NotificationMessage, options: DeliveryOptions): Promise<void> {
  const body = bodyFor(channel, message);
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'code-roach' };
  if (channel.type === 'webhook') {
    headers['x-roach-event'] = message.event;
    const secret = channel.secret ?? options.webhookSecret;
    if (secret) headers['x-roach-signature'] = webhookSignature(secret, Math.floor((options.now ?? Date.now)() / 1000), body);
  }
  let status: number;
  try {
    status = await postGuarded(channel.url, { headers, body, timeoutMs: options.timeoutMs ?? 10_000 }, options.outbound);
  } catch (error) {
    // A refused destination will be refused again: no retries. Only the host is named (Slack URLs carry a token).
    if (error instanceof RoachError) throw error;
    throw new Error(`${channel.type} ${new URL(channel.url).host}: ${(error as Error).message}`, { cause: error });
  }
  if (status >= 200 && status < 300) return;
  const where = `${channel.type} ${new URL(channel.url).host} answered ${status}`;
  // Redirects are not followed (they could lead to an internal address): a 3xx is a refusal.
  if ((status >= 300 && status < 500 && status !== 408 && status !== 429)) {
    throw new RoachError('CR_ERR_NOTIFY_REJECTED', `${where}; not retrying.`, { status });
  }
  throw new Error(where);
}
