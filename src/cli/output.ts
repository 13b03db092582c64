/** Writes to stdout and waits until it is flushed, so piped reports are never cut short on exit. */
export function writeStdout(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
