/**
 * An error handler that deliberately does nothing, for the few places where an error is expected
 * and harmless: `reason` says why at the call site, where a bare `() => undefined` would say
 * nothing (the lint rule against empty error handlers points here). Anything an operator or user
 * would want to know about is logged or reported instead.
 */
export function ignoreError(reason: string): (error: unknown) => undefined {
  return function ignored(error: unknown): undefined {
    // Kept for debuggers stopping here: what was ignored, and why.
    void [reason, error];
    return undefined;
  };
}
