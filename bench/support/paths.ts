/** Where the benchmarks read and write. */
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const BENCH_DIR = path.join(ROOT, 'bench');
/** Per-benchmark results, merged into bench/results.json by the runner (git-ignored). */
export const PARTS_DIR = path.join(BENCH_DIR, 'results');
export const RESULTS_FILE = path.join(BENCH_DIR, 'results.json');
export const PLOTS_DIR = path.join(BENCH_DIR, 'plots');
/** Scratch space: compiled apps, cloud assemblies, s3rver data (git-ignored). */
export const SCRATCH_DIR = path.join(ROOT, '.tmp', 'bench');
/** The bench apps and the examples they reuse, transpiled to JavaScript (see compile-apps.ts). */
export const COMPILED_DIR = path.join(SCRATCH_DIR, 'js');
