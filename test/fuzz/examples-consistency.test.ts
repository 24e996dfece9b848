import { checkTemplates } from './checker';
import { appSources } from '../judges/synth/app-catalog';
import { synthesizedApps } from '../judges/synth/synthesized-apps';

/**
 * The fuzz checker over the apps users copy: every example and the coverage app,
 * as the judges synthesized them. A finding here is an inconsistent template in an
 * app the library's own documentation recommends.
 */
describe('examples and the coverage app, judged by the fuzz checker', () => {
  const apps = new Map<string, ReturnType<typeof synthesizedApps>[number]>();
  beforeAll(() => {
    for (const app of synthesizedApps()) apps.set(app.name, app);
  });

  const judgeApp = (name: string) => {
    const app = apps.get(name)!;
    expect(app.error).toBeUndefined();
    expect(checkTemplates(name, app.stacks)).toEqual([]);
  };

  test.each(appSources().map((s) => s.name))('%s: consistent', judgeApp);
});
