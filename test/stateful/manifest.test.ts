import * as fs from 'fs';
import { AssemblyApp, judgedApps, resourcesOf } from './assembly';
import {
  STATEFUL_MANIFEST_FORMAT, STATEFUL_MANIFEST_PATH, StatefulManifest, UPDATE_COMMAND, UPDATE_ENV,
  compareManifest, computeManifest, countsByType, renderManifest,
} from './manifest';
import { NOT_STATEFUL, STATEFUL_TYPES } from './stateful-types';

/*
 * Pinned logical IDs: the stateful resources of every example and of the coverage app
 * are listed in stateful-resources.manifest.json. A pinned resource whose logical ID or
 * type changes would be replaced on deploy; a new stateful resource must be pinned on
 * purpose. `UPDATE_STATEFUL_MANIFEST=1` rewrites the manifest instead (a release marked
 * breaking only: test/stateful/README.md).
 */

const updating = process.env[UPDATE_ENV] === '1';

let apps: AssemblyApp[];
let current: StatefulManifest;
const pathOf = (app: string, stackName: string, logicalId: string) =>
  apps.find((a) => a.name === app)?.stacks.find((s) => s.stackName === stackName)?.paths[logicalId];

beforeAll(() => {
  apps = judgedApps();
  current = computeManifest(apps);
  if (updating) {
    const previous = fs.existsSync(STATEFUL_MANIFEST_PATH) ? JSON.parse(fs.readFileSync(STATEFUL_MANIFEST_PATH, 'utf8')) : undefined;
    const changes = previous ? compareManifest(previous, current, pathOf).map((f) => `${f.kind}: ${f.message}`) : ['(new manifest)'];
    fs.writeFileSync(STATEFUL_MANIFEST_PATH, renderManifest(current));
    // eslint-disable-next-line no-console
    console.log(`${UPDATE_ENV}=1: rewrote ${STATEFUL_MANIFEST_PATH}; what changed:\n${changes.join('\n') || '(nothing)'}`);
  }
}, 15 * 60_000);

function pinned(): StatefulManifest {
  if (!fs.existsSync(STATEFUL_MANIFEST_PATH)) {
    throw new Error(`${STATEFUL_MANIFEST_PATH} is missing: create it with ${UPDATE_COMMAND}`);
  }
  return JSON.parse(fs.readFileSync(STATEFUL_MANIFEST_PATH, 'utf8'));
}

test('every example and the coverage app synthesize', () => {
  expect(apps.filter((a) => a.error).map((a) => `${a.name}: ${a.error}`)).toEqual([]);
  expect(apps.map((a) => a.name)).toContain('all-options');
});

test('every resource type in the apps is classified as stateful or not, with a reason', () => {
  const unclassified = new Set<string>();
  for (const app of apps) {
    for (const r of resourcesOf(app.stacks)) {
      if (!STATEFUL_TYPES[r.type] && !NOT_STATEFUL[r.type]) unclassified.add(`${r.type} (first seen: ${app.name}, ${r.path})`);
    }
  }
  expect([...unclassified]).toEqual([]);
});

test('the manifest has the expected format and is rendered canonically', () => {
  const manifest = pinned();
  expect(manifest.format).toBe(STATEFUL_MANIFEST_FORMAT);
  expect(fs.readFileSync(STATEFUL_MANIFEST_PATH, 'utf8')).toBe(renderManifest(manifest));
});

test('no pinned stateful resource would be replaced on deploy', () => {
  const replaced = compareManifest(pinned(), current, pathOf).filter((f) => f.kind === 'replaced').map((f) => f.message);
  expect(replaced).toEqual([]);
});

test('every stateful resource is pinned', () => {
  const added = compareManifest(pinned(), current, pathOf).filter((f) => f.kind === 'added').map((f) => f.message);
  expect(added).toEqual([]);
});

test('what the manifest pins, per app and type', () => {
  const counts = countsByType(pinned());
  const lines = Object.entries(counts).map(([app, types]) =>
    `${app}: ${Object.entries(types).map(([t, n]) => `${n} ${t.replace(/^AWS::/, '')}`).join(', ')}`);
  // eslint-disable-next-line no-console
  console.log(`Pinned stateful resources (${STATEFUL_MANIFEST_PATH}):\n${lines.join('\n')}`);
  expect(Object.keys(counts)).toEqual(apps.map((a) => a.name).sort());
});

describe('the comparison, on seeded changes', () => {
  const base: StatefulManifest = {
    format: STATEFUL_MANIFEST_FORMAT,
    about: '',
    apps: {
      shop: {
        ShopStack: {
          account: '123456789012',
          region: 'eu-west-1',
          resources: { OrdersVault1234: 'AWS::Backup::BackupVault', OrdersKey5678: 'AWS::KMS::Key', Uploads9ABC: 'AWS::S3::Bucket' },
        },
        ShopDr: { account: '123456789012', region: 'eu-central-1', resources: { DrVaultDEF0: 'AWS::Backup::BackupVault' } },
      },
    },
  };
  const noPaths = (_app: string, _stack: string, id: string) => `ShopStack/${id}`;
  const change = (edit: (m: any) => void): StatefulManifest => {
    const copy = JSON.parse(JSON.stringify(base));
    edit(copy);
    return copy;
  };

  test('an unchanged manifest has no findings', () => {
    expect(compareManifest(base, base, noPaths)).toEqual([]);
  });

  test('a vault whose logical ID changed is reported as replaced, with what it loses, and the new ID as added', () => {
    const findings = compareManifest(base, change((m) => {
      delete m.apps.shop.ShopStack.resources.OrdersVault1234;
      m.apps.shop.ShopStack.resources.OrdersVault9999 = 'AWS::Backup::BackupVault';
    }), noPaths);
    expect(findings.map((f) => [f.kind, f.logicalId])).toEqual([['replaced', 'OrdersVault1234'], ['added', 'OrdersVault9999']]);
    expect(findings[0].message).toMatch(/^shop\/ShopStack \(eu-west-1\): OrdersVault1234 \(AWS::Backup::BackupVault\) would be replaced on deploy/);
    expect(findings[0].message).toMatch(/all recovery points in the vault become unreachable/);
    expect(findings[0].message).toMatch(/perhaps the same resource renamed: OrdersVault9999 at ShopStack\/OrdersVault9999/);
    expect(findings[1].message).toMatch(/new stateful resource OrdersVault9999 \(AWS::Backup::BackupVault\).*is not pinned/);
    expect(findings[1].message).toContain(UPDATE_COMMAND);
  });

  test('a key that disappears says that data encrypted with it cannot be decrypted', () => {
    const [finding] = compareManifest(base, change((m) => delete m.apps.shop.ShopStack.resources.OrdersKey5678), noPaths);
    expect(finding.kind).toBe('replaced');
    expect(finding.message).toMatch(/OrdersKey5678 \(AWS::KMS::Key\) would be replaced.*cannot be decrypted after the deletion window/);
  });

  test('a changed type, a renamed stack and a stack moved to another region all replace what they hold', () => {
    const findings = compareManifest(base, change((m) => {
      m.apps.shop.ShopStack.resources.Uploads9ABC = 'AWS::S3::Express::DirectoryBucket';
      m.apps.shop.ShopDrRenamed = m.apps.shop.ShopDr;
      delete m.apps.shop.ShopDr;
    }), noPaths).filter((f) => f.kind === 'replaced');
    expect(findings.map((f) => f.logicalId)).toEqual(['Uploads9ABC', 'DrVaultDEF0']);
    expect(findings[0].message).toMatch(/its type changes to AWS::S3::Express::DirectoryBucket.*loses: all objects/);
    expect(findings[1].message).toMatch(/the stack ShopDr is no longer in the app/);

    const moved = compareManifest(base, change((m) => { m.apps.shop.ShopDr.region = 'us-east-1'; }), noPaths);
    expect(moved.map((f) => [f.kind, f.logicalId])).toEqual([['replaced', 'DrVaultDEF0'], ['added', 'DrVaultDEF0']]);
    expect(moved[0].message).toMatch(/moved from 123456789012\/eu-central-1 to 123456789012\/us-east-1/);
  });
});
