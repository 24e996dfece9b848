/**
 * Runs `run` with an abort signal and rejects with `timeoutError()` once `budgetMs` has passed,
 * even while the SDK is sleeping between retries; the abort also cancels the in-flight request.
 */
export async function raceDeadline<T>(budgetMs: number, run: (signal: AbortSignal) => Promise<T>, timeoutError: () => Error): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(timeoutError());
    }, budgetMs);
  });
  const work = run(controller.signal);
  work.catch(() => undefined); // its rejection after the deadline is expected and handled
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
