import { spawnSync } from 'child_process';
import * as path from 'path';
import { PythonApi } from './python-api';

export interface PythonSnippet { readonly id: string; readonly source: string }
export interface PythonFinding { readonly line: number; readonly message: string }
export interface PythonCheck {
  readonly id: string;
  readonly findings: PythonFinding[];
  /** Calls whose callee's signature was known, and so were checked. */
  readonly checkedCalls: number;
  /** Calls on values whose type the checker could not follow (not judged). */
  readonly unresolvedCalls: number;
}

const CHECKER = path.join(__dirname, 'check-python.py');

/** Runs check-python.py (python3's own parser) over `snippets` against `api`. */
export function checkPython(snippets: PythonSnippet[], api: PythonApi): PythonCheck[] {
  const result = spawnSync('python3', [CHECKER], {
    input: JSON.stringify({ api, snippets }),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`python3 could not run ${CHECKER}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(`${CHECKER} exited ${result.status}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}
