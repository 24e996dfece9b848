import { checkTemplates } from './checker';
import { appSources } from '../judges/synth/app-catalog';
import { synthesizedApps } from '../judges/synth/synthesized-apps';

/**
 * The fuzz checker over the apps users copy: every example and the coverage app,
 * as the judges synthesized them. A finding here is an inconsistent template in an
 * app the library's own documentation recommends.
 */
/** Apps with a known library defect (see the test.failing below). */
const KNOWN_INCONSISTENT = ['organization-estate'];

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

  test.each(appSources().map((s) => s.name).filter((n) => !KNOWN_INCONSISTENT.includes(n)))('%s: consistent', judgeApp);

  // test.failing until src/ is fixed: the organization's framework (management stack and member template)
  // lists crossRegionList [eu-west-1] in BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION, while its only copy
  // destination is the central vault in eu-west-1, one of the member regions: in eu-west-1 that copy is not
  // cross-region, so the control cannot pass there. When fixed, this test fails: move the app back above.
  test.failing.each(KNOWN_INCONSISTENT)('%s: consistent', judgeApp);
});
