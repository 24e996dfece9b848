/**
 * The part of the Lambda invocation context the handlers use, and the time budgets they cut from it.
 */

/** The part of the Lambda context the handlers use (tests pass a stand-in). */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/**
 * How long a step may take: at most `maxMs`, and never past the invocation's remaining time
 * minus `reserveMs` (kept for what must still happen after the step). Without a context (tests,
 * local runs) the bound is `maxMs`. Never negative.
 */
export function budgetMs(maxMs: number, reserveMs: number, context?: InvocationContext): number {
  const remaining = context?.getRemainingTimeInMillis();
  if (remaining === undefined || !Number.isFinite(remaining)) return Math.max(0, maxMs);
  return Math.max(0, Math.min(maxMs, remaining - reserveMs));
}
