/**
 * The Powertools logger and metrics of a handler, created once per container by its `*.lambda.ts`.
 * Both read POWERTOOLS_SERVICE_NAME (default: the handler's name) and POWERTOOLS_LOG_LEVEL /
 * POWERTOOLS_METRICS_NAMESPACE from the environment, as Powertools does.
 *
 * Log attributes must not use the keys Powertools reserves for itself (level, message,
 * sampling_rate, service, timestamp): the logger drops them with a warning.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Env } from './env';

export function createLogger(defaultService: string, env: Env = process.env): Logger {
  return new Logger({ serviceName: env.POWERTOOLS_SERVICE_NAME?.trim() || defaultService });
}

/** `defaultNamespace` applies when POWERTOOLS_METRICS_NAMESPACE is unset. */
export function createMetrics(defaultService: string, env: Env = process.env, defaultNamespace?: string): Metrics {
  const namespace = env.POWERTOOLS_METRICS_NAMESPACE?.trim() || defaultNamespace;
  return new Metrics({ serviceName: env.POWERTOOLS_SERVICE_NAME?.trim() || defaultService, ...(namespace ? { namespace } : {}) });
}
