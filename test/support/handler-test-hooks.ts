/**
 * Hooks of every handler test file (setupFilesAfterEnv of the `handlers` and `integ` jest
 * projects): log entries are built but not printed, and no test may log an attribute under a
 * key Powertools reserves (see captured-logs.ts).
 */
import { guardReservedLogKeys, silencePowertoolsLogs } from './captured-logs';

silencePowertoolsLogs();
guardReservedLogKeys();
