import { checkDr } from './dr-checks';
import { readBackupFacts } from './facts';
import { checkFrameworks } from './framework-checks';
import { checkPlans, checkVaultLocks } from './plan-checks';
import { checkObjectLockedBuckets, checkRestoreTesting } from './storage-checks';
import { AppModel, StackInput } from '../../judges/cfn/app-model';

/**
 * The fuzz tests' independent checker: whether the synthesized templates of one app
 * are consistent, judged from the templates alone (as deployed, through the judges'
 * resolver) with AWS's documented limits written down here, never with the library's
 * validation code. Each finding names the resource and what is wrong; none means
 * consistent.
 */
export function checkTemplates(name: string, stacks: StackInput[]): string[] {
  const app = new AppModel(name, stacks);
  const facts = readBackupFacts(app);
  return [
    ...facts.unreadable,
    ...checkVaultLocks(facts),
    ...checkPlans(facts),
    ...checkFrameworks(facts),
    ...checkRestoreTesting(app, facts),
    ...checkObjectLockedBuckets(app),
    ...checkDr(app, facts),
  ];
}
