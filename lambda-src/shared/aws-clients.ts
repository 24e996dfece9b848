/**
 * What the handlers' SDK clients share: the retry policy, request timeouts and the per-region
 * client cache. Each handler's `*.lambda.ts` creates its clients with these, once per container.
 *
 * Retries: MAX_ATTEMPTS attempts in all, full-jitter exponential backoff from a base delay
 * (RETRY_BASE_DELAY_MS, default 200 ms, read at every delay; tests set 1 to keep real retries
 * fast), each delay capped at MAX_RETRY_DELAY_MS. The SDK decides what is retryable: throttling,
 * 5xx, timeouts and network errors (a reset connection) are; client errors such as
 * ResourceNotFoundException or AccessDenied are not.
 * `adaptive` mode adds the SDK's client-side rate limiter, which slows down after throttling:
 * what a burst of events (or a reconciler run) against Backup's Describe/List quotas needs.
 */
import { AdaptiveRetryStrategy, ConfiguredRetryStrategy } from '@smithy/util-retry';

export const MAX_ATTEMPTS = 5;
export const DEFAULT_RETRY_BASE_DELAY_MS = 200;
export const MAX_RETRY_DELAY_MS = 5_000;

/** Full jitter: a random delay below min(MAX_RETRY_DELAY_MS, base * 2^retry); `retry` is 1 for the first retry. */
export function fullJitterDelay(baseDelayMs: number, retry: number): number {
  return Math.floor(Math.random() * Math.min(MAX_RETRY_DELAY_MS, baseDelayMs * 2 ** retry));
}

type BaseDelay = number | (() => number);
const baseOf = (baseDelayMs: BaseDelay) => (typeof baseDelayMs === 'function' ? baseDelayMs : () => baseDelayMs);

/**
 * Standard-mode retries, MAX_ATTEMPTS in all, with full-jitter backoff. A function as the base
 * is called for every delay (it may read the environment each time).
 */
export function jitterRetryStrategy(baseDelayMs: BaseDelay): ConfiguredRetryStrategy {
  const base = baseOf(baseDelayMs);
  return new ConfiguredRetryStrategy(MAX_ATTEMPTS, (attempt: number) => fullJitterDelay(base(), attempt));
}

/**
 * Adaptive retries, MAX_ATTEMPTS in all, with the same full-jitter backoff for every retryable
 * error (the SDK would otherwise use a larger base for throttling).
 */
export function adaptiveRetryStrategy(baseDelayMs: BaseDelay): AdaptiveRetryStrategy {
  const base = baseOf(baseDelayMs);
  const backoff = {
    setDelayBase: (_ignored: number) => undefined,
    computeNextBackoffDelay: (retry: number) => fullJitterDelay(base(), retry + 1),
  };
  return new AdaptiveRetryStrategy(MAX_ATTEMPTS, { maxAttempts: MAX_ATTEMPTS, baseDelay: base(), backoff });
}

/** RETRY_BASE_DELAY_MS read leniently: anything but a positive integer means the default. */
export function retryBaseDelayFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): number {
  const n = Number(env.RETRY_BASE_DELAY_MS);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_RETRY_BASE_DELAY_MS;
}

/** How a handler's client retries and how long it waits for a connection and for an answer. */
export interface ClientProfile {
  readonly retry: 'standard' | 'adaptive';
  /** Most time to open a connection. */
  readonly connectionTimeoutMs: number;
  /** Most time from sending a request to the start of its answer. */
  readonly requestTimeoutMs: number;
}

/**
 * How long a connection may stay silent once the answer has started (between two chunks of a
 * streamed body): a download may take as long as it keeps arriving.
 */
export const SOCKET_IDLE_TIMEOUT_MS = 10_000;

/**
 * The configuration every handler client starts from; spread it first, then the client's own
 * settings (tests add an endpoint, credentials or a transport there).
 *
 * `throwOnRequestTimeout`: without it the SDK's HTTP handler (@smithy/node-http-handler 4.x) only
 * logs a warning when `requestTimeout` passes and goes on waiting, so a request that is never
 * answered would hold the invocation until Lambda's own timeout. With it, the request fails with
 * a TimeoutError, which the retry strategy retries like any transient error.
 */
export function clientDefaults(profile: ClientProfile) {
  const base = () => retryBaseDelayFromEnv();
  return {
    maxAttempts: MAX_ATTEMPTS,
    retryStrategy: profile.retry === 'adaptive' ? adaptiveRetryStrategy(base) : jitterRetryStrategy(base),
    requestHandler: {
      connectionTimeout: profile.connectionTimeoutMs,
      requestTimeout: profile.requestTimeoutMs,
      throwOnRequestTimeout: true,
      socketTimeout: SOCKET_IDLE_TIMEOUT_MS,
    },
  };
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
