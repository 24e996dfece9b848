/**
 * The compat check end to end: real git history, real jsii-diff, on a scratch repository
 * whose API is a one-struct assembly (fast to diff; the project's own runs in CI).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { checkCompat } from '../../scripts/release/check-compat';
import { API_BASELINE, CURRENT_ASSEMBLY, STATEFUL_MANIFEST } from '../../scripts/release/config';

/** A jsii assembly with one stable struct `probe.ProbeProps` of optional string properties. */
function assembly(props: string[]): object {
  const stable = { stability: 'stable' };
  const property = (name: string) => ({
    name,
    optional: true,
    immutable: true,
    abstract: true,
    docs: stable,
    type: { primitive: 'string' },
  });
  return {
    schema: 'jsii/0.10.0',
    name: 'probe',
    version: '0.0.0',
    license: 'Apache-2.0',
    description: 'probe',
    homepage: 'https://example.com',
    repository: { type: 'git', url: 'https://example.com' },
    author: { name: 'probe', roles: ['author'] },
    fingerprint: 'probe',
    jsiiVersion: '6.0.0',
    types: {
      'probe.ProbeProps': {
        assembly: 'probe',
        datatype: true,
        fqn: 'probe.ProbeProps',
        kind: 'interface',
        name: 'ProbeProps',
        docs: stable,
        properties: props.map(property),
      },
    },
  };
}

class ScratchRepo {
  /** Baseline and compiled API both `props`, committed as the reference. */
  public static withBaseline(props: string[], manifest?: object): ScratchRepo {
    const repo = new ScratchRepo();
    repo.write(API_BASELINE, assembly(props));
    repo.write(CURRENT_ASSEMBLY, assembly(props));
    if (manifest) repo.write(STATEFUL_MANIFEST, manifest);
    repo.commit('chore: API baseline');
    return repo;
  }

  public readonly root = fs.mkdtempSync(path.join(os.tmpdir(), 'compat-'));

  constructor() {
    this.git('init', '-q');
    this.write('package.json', { name: 'probe', version: '0.0.0', jsii: {} });
  }

  public git(...args: string[]): string {
    return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], {
      cwd: this.root, encoding: 'utf8',
    });
  }

  public write(file: string, json: object): void {
    fs.mkdirSync(path.dirname(path.join(this.root, file)), { recursive: true });
    fs.writeFileSync(path.join(this.root, file), JSON.stringify(json, undefined, 2));
  }

  public commit(message: string): void {
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
  }
}

const repos: ScratchRepo[] = [];
const scratch = (props: string[], manifest?: object) => {
  const repo = ScratchRepo.withBaseline(props, manifest);
  repos.push(repo);
  return repo;
};
afterAll(() => repos.forEach((r) => fs.rmSync(r.root, { recursive: true, force: true })));

describe('compat check against the committed baseline (before the first release)', () => {
  test('a removed property without a breaking commit fails, naming the property', () => {
    const repo = scratch(['a', 'b']);
    repo.write(CURRENT_ASSEMBLY, assembly(['b']));
    repo.commit('feat: simplify props');
    const verdict = checkCompat(repo.root);
    expect(verdict.ok).toBe(false);
    expect(verdict.lines.join('\n')).toMatch(/API: err {2}- PROP probe\.ProbeProps\.a: has been removed/);
  });

  test('the same removal passes when a commit since the baseline is marked breaking', () => {
    const repo = scratch(['a', 'b']);
    repo.write(CURRENT_ASSEMBLY, assembly(['b']));
    repo.commit('feat!: remove ProbeProps.a');
    const verdict = checkCompat(repo.root);
    expect(verdict.ok).toBe(true);
    expect(verdict.lines.join('\n')).toMatch(/marked breaking by [0-9a-f]{7} "feat!: remove ProbeProps\.a"/);
  });

  test('an added optional property is not breaking', () => {
    const repo = scratch(['a']);
    repo.write(CURRENT_ASSEMBLY, assembly(['a', 'b']));
    repo.commit('feat: add ProbeProps.b');
    expect(checkCompat(repo.root)).toEqual({ ok: true, lines: [expect.stringMatching(/^compat: no breaking change since the API baseline/)] });
  });

  test('a changed pinned logical ID without a breaking commit fails', () => {
    const repo = scratch(['a'], { app: { Stack: { VaultAAAA: 'AWS::Backup::BackupVault' } } });
    repo.write(STATEFUL_MANIFEST, { app: { Stack: { VaultBBBB: 'AWS::Backup::BackupVault' } } });
    repo.commit('fix: vault id');
    const verdict = checkCompat(repo.root);
    expect(verdict.ok).toBe(false);
    expect(verdict.lines).toContain(`  pinned stateful resource: ${STATEFUL_MANIFEST} $.app.Stack.VaultAAAA: "AWS::Backup::BackupVault" was removed`);
  });
});

describe('compat check after a release', () => {
  test('a marked break released as 0.1.1 after v0.1.0 is refused; as 0.2.0 it passes', () => {
    const repo = scratch(['a', 'b']);
    repo.git('tag', 'v0.1.0');
    repo.write(CURRENT_ASSEMBLY, assembly(['b']));
    repo.commit('feat!: remove ProbeProps.a');
    const refused = checkCompat(repo.root, { releaseVersion: '0.1.1' });
    expect(refused.ok).toBe(false);
    expect(refused.lines[refused.lines.length - 1]).toMatch(/0\.1\.0 -> 0\.1\.1, not a major version/);
    expect(checkCompat(repo.root, { releaseVersion: '0.2.0' }).ok).toBe(true);
  });

  test('a baseline rewritten by hand after a release is rejected', () => {
    const repo = scratch(['a', 'b']);
    repo.git('tag', 'v0.1.0');
    repo.write(API_BASELINE, assembly(['b']));
    repo.write(CURRENT_ASSEMBLY, assembly(['b']));
    repo.commit('chore: new baseline');
    expect(() => checkCompat(repo.root)).toThrow(/is not the API released as v0\.1\.0/);
  });
});
