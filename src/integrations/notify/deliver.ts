import { createHmac } from 'node:crypto';
import { RoachError } from '../../domain/errors.js';

export interface NotificationChannel {
  readonly type: 'webhook' | 'slack';
  readonly url: string;
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
    if (options.webhookSecret) {
      headers['x-roach-signature'] = webhookSignature(options.webhookSecret, Math.floor((options.now ?? Date.now)() / 1000), body);
    }
  }
  let response: Response;
  try {
    response = await fetch(channel.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(options.timeoutMs ?? 10_000), redirect: 'error' });
  } catch (error) {
    throw new Error(`${channel.type} ${new URL(channel.url).host}: ${(error as Error).message}`, { cause: error });
  }
  await response.body?.cancel();
  if (response.ok) return;
  const where = `${channel.type} ${new URL(channel.url).host} answered ${response.status}`;
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
    throw new RoachError('CR_ERR_NOTIFY_REJECTED', `${where}; not retrying.`, { status: response.status });
  }
  throw new Error(where);
}
