import * as fs from 'fs';
import * as path from 'path';

/** The repository root. */
export const ROOT = path.resolve(__dirname, '..', '..', '..');

/** One app the judges look at: an example, or the coverage app of test/apps. */
export interface AppSource {
  /** The app's name in findings: the example's folder, or `all-options`. */
  readonly name: string;
  /** `example`: examples/<name>/app.ts run as written; `coverage`: test/apps/all-options.ts. */
  readonly kind: 'example' | 'coverage';
  /** The file that builds the app. */
  readonly entry: string;
}

/** Every folder of examples/ with an app.ts, and the coverage app. New examples are picked up without a change here. */
export function appSources(): AppSource[] {
  const examplesDir = path.join(ROOT, 'examples');
  const examples = fs.readdirSync(examplesDir)
    .filter((name) => fs.existsSync(path.join(examplesDir, name, 'app.ts')))
    .sort()
    .map((name): AppSource => ({ name, kind: 'example', entry: path.join(examplesDir, name, 'app.ts') }));
  return [...examples, { name: 'all-options', kind: 'coverage', entry: path.join(ROOT, 'test', 'apps', 'all-options.ts') }];
}
