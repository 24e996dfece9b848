/**
 * Shared by the integration tests (`*.integ.test.ts`, the `integ` jest project, `npx projen
 * test:integ`), which run handlers against real servers on 127.0.0.1 (s3rver, dynalite).
 *
 * They assert correctness only. Their time depends on the machine and on whatever else it runs,
 * so no test reads a clock; INTEG_TEST_TIMEOUT_MS only stops a test that hangs. It is generous on
 * purpose: on a 2-core machine with both cores busy, streaming tens of MiB through s3rver or ten
 * thousand conditional writes through dynalite can take minutes. Throughput and memory figures
 * belong to the benchmarks (bench/), which reuse the generators in test/support.
 */
export const INTEG_TEST_TIMEOUT_MS = 10 * 60_000;
