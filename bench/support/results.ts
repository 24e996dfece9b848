/** Each benchmark writes its own part; the runner merges the parts into bench/results.json. */
import * as fs from 'fs';
import * as path from 'path';
import { PARTS_DIR, RESULTS_FILE } from './paths';

export function partFile(name: string): string {
  return path.join(PARTS_DIR, `${name}.tmp.json`);
}

export function writePart(name: string, data: unknown): string {
  fs.mkdirSync(PARTS_DIR, { recursive: true });
  const file = partFile(name);
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

export function readPart<T>(name: string): T | undefined {
  const file = partFile(name);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as T : undefined;
}

/** The merged results of the last run, if any. */
export function readResults(): Record<string, any> | undefined {
  return fs.existsSync(RESULTS_FILE) ? JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) : undefined;
}
