/**
 * What the handlers' SDK clients share: the retry policy and the per-region client cache.
 *
 * Retries: MAX_ATTEMPTS attempts in all, full-jitter exponential backoff from a base delay
 * (RETRY_BASE_DELAY_MS, default 200 ms; tests set 1 to keep real retries fast), each delay capped
 * at MAX_RETRY_DELAY_MS. The SDK decides what is retryable: throttling, 5xx and network errors
 * are, client errors such as ResourceNotFoundException or AccessDenied are not.
 */
import { ConfiguredRetryStrategy } from '@smithy/util-retry';

export const MAX_ATTEMPTS = 5;
export const DEFAULT_RETRY_BASE_DELAY_MS = 200;
export const MAX_RETRY_DELAY_MS = 5_000;

/** Full jitter: a random delay below min(MAX_RETRY_DELAY_MS, base * 2^retry); `retry` is 1 for the first retry. */
export function fullJitterDelay(baseDelayMs: number, retry: number): number {
  return Math.floor(Math.random() * Math.min(MAX_RETRY_DELAY_MS, baseDelayMs * 2 ** retry));
}

/**
 * Standard-mode retries, MAX_ATTEMPTS in all, with full-jitter backoff. A function as the base
 * is called for every delay (it may read the environment each time).
 */
export function jitterRetryStrategy(baseDelayMs: number | (() => number)): ConfiguredRetryStrategy {
  const base = typeof baseDelayMs === 'function' ? baseDelayMs : () => baseDelayMs;
  return new ConfiguredRetryStrategy(MAX_ATTEMPTS, (attempt: number) => fullJitterDelay(base(), attempt));
}

/** RETRY_BASE_DELAY_MS read leniently: anything but a positive integer means the default. */
export function retryBaseDelayFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const n = Number(env.RETRY_BASE_DELAY_MS);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_RETRY_BASE_DELAY_MS;
}

/** One client per region, created on first use and then kept for the life of the container. */
export function perRegion<C>(make: (region: string) => C): (region: string) => C {
  const clients = new Map<string, C>();
  return (region: string) => {
    let c = clients.get(region);
    if (!c) {
      c = make(region);
      clients.set(region, c);
    }
    return c;
  };
}
