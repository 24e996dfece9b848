/**
 * What handlers log, read in tests without printing anything.
 *
 * Handler tests log at DEBUG (handler-test-env.ts) so that every log call runs through
 * Powertools for real (building the entry, checking its keys), and `silencePowertoolsLogs()`
 * keeps the finished entries off stdout. `capturedLogger()` keeps them in memory instead, for
 * tests that read them. `guardReservedLogKeys()` fails any test in which a logger dropped an
 * attribute because its key is one Powertools reserves (level, message, sampling_rate, service,
 * timestamp): that detail would be missing from the real logs.
 * handler-test-hooks.ts applies both guards to every handler test file.
 */
import { Logger, type LogItem } from '@aws-lambda-powertools/logger';

const DROPPED_KEY = /The key "(.+)" is a reserved key and will be dropped/;

/** A Logger that keeps each entry it would print (as the JSON object Lambda would receive). */
export class CapturingLogger extends Logger {
  readonly entries: Array<Record<string, unknown>> = [];

  protected printLog(_logLevel: number, log: LogItem): void {
    this.entries.push(JSON.parse(JSON.stringify(log.getAttributes())) as Record<string, unknown>);
  }

  /** The entries whose message is `message`. */
  withMessage(message: string): Array<Record<string, unknown>> {
    return this.entries.filter((e) => e.message === message);
  }
}

/** Captures every level from DEBUG up, whatever POWERTOOLS_LOG_LEVEL says. */
export function capturedLogger(serviceName = 'handler-test'): CapturingLogger {
  return new CapturingLogger({ serviceName, logLevel: 'DEBUG' });
}

/** For the calling file: Powertools loggers build every entry but print none. */
export function silencePowertoolsLogs(): void {
  const proto = Logger.prototype as unknown as { printLog: (level: number, log: LogItem) => void };
  beforeAll(() => {
    jest.spyOn(proto, 'printLog').mockImplementation(() => undefined);
  });
}

/**
 * For the tests of the calling file: after each test, the attribute keys that any Logger dropped
 * as reserved must be none. (The reserved-key check warns through the logger itself; it runs for
 * entries at or above the logger's level, which is why handler tests log at DEBUG.)
 */
export function guardReservedLogKeys(): void {
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn');
  });
  afterEach(() => {
    const dropped = warn.mock.calls
      .map((args) => DROPPED_KEY.exec(String(args[0]))?.[1])
      .filter((key): key is string => key !== undefined);
    warn.mockRestore();
    expect({ droppedLogKeys: dropped }).toEqual({ droppedLogKeys: [] });
  });
}
