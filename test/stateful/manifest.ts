import * as path from 'path';
import { AssemblyApp, resourcesOf } from './assembly';
import { isStateful, whatIsLost } from './stateful-types';

/**
 * The pinned logical IDs of stateful resources: the manifest's location and format,
 * how it is computed from the synthesized apps, and how a change is described.
 * Nothing here synthesizes; release tooling may import this file (or read the JSON).
 */

/** The committed manifest: the one place its path is written. */
export const STATEFUL_MANIFEST_PATH = path.join(__dirname, 'stateful-resources.manifest.json');

/** The manifest's format tag; a change of shape changes it. */
export const STATEFUL_MANIFEST_FORMAT = 'cdk-compliant-backup/stateful-resources@1';

/** The environment variable that makes manifest.test.ts rewrite the manifest instead of comparing. */
export const UPDATE_ENV = 'UPDATE_STATEFUL_MANIFEST';
export const UPDATE_COMMAND = `${UPDATE_ENV}=1 npx jest test/stateful/manifest.test.ts --coverage=false`;

/** One deployed stack's pinned stateful resources. */
export interface PinnedStack {
  readonly account: string;
  readonly region: string;
  /** Logical ID → CloudFormation type, sorted by logical ID. */
  readonly resources: Record<string, string>;
}

export interface StatefulManifest {
  readonly format: string;
  readonly about: string;
  /** App name → CloudFormation stack name → its stateful resources. Apps and stacks sorted by name. */
  readonly apps: Record<string, Record<string, PinnedStack>>;
}

/** A stateful resource that changed against the manifest. */
export interface ManifestFinding {
  /** `replaced`: a pinned resource would be replaced (or its stack is gone); `added`: a new stateful resource, not yet pinned. */
  readonly kind: 'replaced' | 'added';
  readonly app: string;
  readonly stackName: string;
  readonly region: string;
  readonly logicalId: string;
  readonly type: string;
  readonly message: string;
}

const ABOUT = 'Logical IDs and types of every stateful resource (test/stateful/stateful-types.ts) of every example and of '
  + 'the coverage app, per CloudFormation stack. A pinned resource whose logical ID or type changes is replaced on deploy '
  + `and loses its data. Update only in a release marked breaking: ${UPDATE_COMMAND} (see test/stateful/README.md).`;

function sorted<T>(entries: Array<[string, T]>): Record<string, T> {
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The manifest the apps would pin today. Apps that did not synthesize are left out (the test fails on them first). */
export function computeManifest(apps: AssemblyApp[]): StatefulManifest {
  return {
    format: STATEFUL_MANIFEST_FORMAT,
    about: ABOUT,
    apps: sorted(apps.filter((a) => !a.error).map((app) => [app.name, sorted(app.stacks.map((stack) => [stack.stackName, {
      account: stack.account,
      region: stack.region,
      resources: sorted(resourcesOf([stack]).filter((r) => isStateful(r.type)).map((r) => [r.logicalId, r.type])),
    }]))])),
  };
}

/** The manifest as committed: apps, stacks and logical IDs sorted, two-space indent, a final newline. */
export function renderManifest(manifest: StatefulManifest): string {
  const normalized: StatefulManifest = {
    format: manifest.format,
    about: manifest.about,
    apps: sorted(Object.entries(manifest.apps).map(([app, stacks]) => [app, sorted(Object.entries(stacks).map(([name, stack]) => [name, {
      account: stack.account,
      region: stack.region,
      resources: sorted(Object.entries(stack.resources)),
    }]))])),
  };
  return `${JSON.stringify(normalized, null, 2)}\n`;
}

/** Per-type count of the pinned resources of each app: what the manifest pins, for people. */
export function countsByType(manifest: StatefulManifest): Record<string, Record<string, number>> {
  return Object.fromEntries(Object.entries(manifest.apps).map(([app, stacks]) => {
    const counts: Record<string, number> = {};
    for (const stack of Object.values(stacks)) for (const type of Object.values(stack.resources)) counts[type] = (counts[type] ?? 0) + 1;
    return [app, sorted(Object.entries(counts))];
  }));
}

/**
 * Everything that differs between the pinned manifest and the current one: pinned
 * resources that would be replaced (logical ID gone, type changed, stack gone or moved
 * to another account or region), and stateful resources that are not pinned yet.
 * `paths` gives the construct path of a current resource, for the messages.
 */
export function compareManifest(
  pinned: StatefulManifest, current: StatefulManifest, paths: (app: string, stackName: string, logicalId: string) => string | undefined,
): ManifestFinding[] {
  const findings: ManifestFinding[] = [];
  const replaced = (app: string, stackName: string, stack: PinnedStack, logicalId: string, type: string, why: string) => findings.push({
    ...{ kind: 'replaced', app, stackName, region: stack.region, logicalId, type },
    message: `${app}/${stackName} (${stack.region}): ${logicalId} (${type}) would be replaced on deploy: ${why}. `
      + `Replacing it loses: ${whatIsLost(type) ?? 'its data'}.`,
  });
  for (const [app, stacks] of Object.entries(pinned.apps)) {
    for (const [stackName, stack] of Object.entries(stacks)) {
      const now = current.apps[app]?.[stackName];
      for (const [logicalId, type] of Object.entries(stack.resources)) {
        if (!current.apps[app]) {
          replaced(app, stackName, stack, logicalId, type, `the app ${app} is gone (nothing pins its stacks any more)`);
        } else if (!now) {
          replaced(app, stackName, stack, logicalId, type, `the stack ${stackName} is no longer in the app; a renamed stack is a new `
            + 'stack, with new, empty resources, while the old one keeps the data');
        } else if (now.account !== stack.account || now.region !== stack.region) {
          replaced(app, stackName, stack, logicalId, type, `the stack moved from ${stack.account}/${stack.region} to `
            + `${now.account}/${now.region}, which is a new stack with new, empty resources`);
        } else if (!now.resources[logicalId]) {
          const sameType = Object.entries(now.resources)
            .filter(([id, t]) => t === type && !stack.resources[id])
            .map(([id]) => `${id} at ${paths(app, stackName, id) ?? '?'}`);
          replaced(app, stackName, stack, logicalId, type, 'its logical ID is no longer in the template, so CloudFormation deletes it '
            + '(or, with DeletionPolicy Retain, leaves it outside the stack) and creates a new, empty one under the new ID'
            + (sameType.length > 0 ? ` (new ${type} in this stack, perhaps the same resource renamed: ${sameType.join(', ')})` : ''));
        } else if (now.resources[logicalId] !== type) {
          replaced(app, stackName, stack, logicalId, type, `its type changes to ${now.resources[logicalId]}; CloudFormation does not `
            + 'change a resource\'s type in place, so the old resource has to go');
        }
      }
    }
  }
  for (const [app, stacks] of Object.entries(current.apps)) {
    for (const [stackName, stack] of Object.entries(stacks)) {
      const before = pinned.apps[app]?.[stackName];
      for (const [logicalId, type] of Object.entries(stack.resources)) {
        if (before?.resources[logicalId] === type && before.region === stack.region && before.account === stack.account) continue;
        findings.push({
          ...{ kind: 'added', app, stackName, region: stack.region, logicalId, type },
          message: `${app}/${stackName} (${stack.region}): new stateful resource ${logicalId} (${type}) at `
            + `${paths(app, stackName, logicalId) ?? '?'} is not pinned. Nothing existing is replaced by adding it; pin it `
            + `deliberately (${UPDATE_COMMAND}) so that from then on its logical ID cannot change unnoticed.`,
        });
      }
    }
  }
  return findings;
}
