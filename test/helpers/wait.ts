/**
 * Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`.
 * `observe` says what was seen instead, so a timeout reads as a diagnosis rather than a bare "no".
 */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 10_000,
  what = 'condition',
  observe?: () => unknown,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const seen = observe ? `; observed: ${JSON.stringify(await observe())}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
