import { JsiiAssembly, pythonApi } from '../../scripts/rosetta/python-api';
import { checkPython } from '../../scripts/rosetta/python-check';

/*
 * The Python checker of `npx projen verify:translations` against a small jsii assembly written
 * here: it accepts Python that the generated bindings accept, and names what they would reject,
 * including the jsii-rosetta mistranslation it was written for (a struct literal passed last to
 * a variadic parameter rendered as keyword arguments).
 */

const str = { primitive: 'string' };
const demo = {
  name: 'demo',
  targets: { python: { module: 'demo' } },
  submodules: { 'demo.storage': {} },
  types: {
    'demo.Validations': {
      fqn: 'demo.Validations',
      name: 'Validations',
      kind: 'class',
      methods: [
        { name: 'of', static: true, parameters: [{ name: 'scope', type: str }], returns: { type: { fqn: 'demo.Validations' } } },
        { name: 'acknowledge', parameters: [{ name: 'rules', type: { fqn: 'demo.Acknowledgment' }, variadic: true }] },
      ],
    },
    'demo.Acknowledgment': {
      fqn: 'demo.Acknowledgment',
      name: 'Acknowledgment',
      kind: 'interface',
      datatype: true,
      properties: [{ name: 'id', type: str }, { name: 'reason', type: str }],
    },
    'demo.BaseProps': {
      fqn: 'demo.BaseProps',
      name: 'BaseProps',
      kind: 'interface',
      datatype: true,
      properties: [{ name: 'enforceSSL', type: { primitive: 'boolean' }, optional: true }],
    },
    'demo.storage.BucketProps': {
      fqn: 'demo.storage.BucketProps',
      name: 'BucketProps',
      namespace: 'storage',
      kind: 'interface',
      datatype: true,
      interfaces: ['demo.BaseProps'],
      properties: [{ name: 'bucketName', type: str }, { name: 'retentionDays', type: { primitive: 'number' }, optional: true }],
    },
    'demo.storage.Bucket': {
      fqn: 'demo.storage.Bucket',
      name: 'Bucket',
      namespace: 'storage',
      kind: 'class',
      initializer: { parameters: [{ name: 'scope', type: str }, { name: 'id', type: str }, { name: 'props', type: { fqn: 'demo.storage.BucketProps' } }] },
      properties: [{ name: 'bucketArn', type: str }, { name: 'encryption', type: { fqn: 'demo.storage.Encryption' } }],
      methods: [{ name: 'grantRead', parameters: [{ name: 'grantee', type: str }] }],
    },
    'demo.storage.Encryption': {
      fqn: 'demo.storage.Encryption', name: 'Encryption', namespace: 'storage', kind: 'enum', members: [{ name: 'KMS_MANAGED' }],
    },
  },
} as unknown as JsiiAssembly;
const api = pythonApi([demo]);
const check = (source: string) => checkPython([{ id: 'snippet', source }], api)[0];
const messages = (source: string) => check(source).findings.map((f) => `${f.line}: ${f.message}`);

test('Python the bindings accept has no finding, and its calls are checked', () => {
  const result = check([
    'from demo import Validations, Acknowledgment',
    'import demo.storage as storage',
    'bucket = storage.Bucket("app", "Docs", bucket_name="docs", enforce_ssl=True)',
    'bucket.grant_read("someone")',
    'print(bucket.bucket_arn, storage.Encryption.KMS_MANAGED)',
    'ack = Acknowledgment(id="a", reason="b")',
    'Validations.of(bucket).acknowledge(Acknowledgment(id="c", reason="d"), ack)',
  ].join('\n'));
  expect(result.findings).toEqual([]);
  // Bucket(), grant_read(), Acknowledgment() twice, Validations.of(), acknowledge(); print() is not the API's.
  expect(result.checkedCalls).toBe(6);
  expect(result.unresolvedCalls).toBe(1);
});

test('TypeScript under a python fence does not parse', () => {
  expect(messages("const bucket = new storage.Bucket(app, 'Docs', { bucketName: 'docs' });"))
    .toEqual([expect.stringMatching(/^1: does not parse as Python/)]);
});

test('a struct passed last to a variadic parameter as keyword arguments is named', () => {
  expect(messages([
    'from demo import Validations, Acknowledgment',
    'Validations.of("app").acknowledge(Acknowledgment(id="a", reason="b"), id="c", reason="d")',
  ].join('\n'))).toEqual([
    '2: Validations.acknowledge() has no keyword argument id (keywords it takes: none; its last parameter *rules is variadic)',
    '2: Validations.acknowledge() has no keyword argument reason (keywords it takes: none; its last parameter *rules is variadic)',
  ]);
});

test('keyword arguments are the lifted struct fields in snake case, inherited ones included, required ones required', () => {
  expect(messages([
    'import demo.storage as storage',
    'storage.Bucket("app", "Docs", bucketName="docs", retention_days=7)',
    'storage.Bucket("app")',
  ].join('\n'))).toEqual([
    expect.stringMatching(/^2: storage.Bucket\(\) has no keyword argument bucketName \(keywords it takes: bucket_name, enforce_ssl, id, retention_days, scope\)$/),
    '2: storage.Bucket() is missing required keyword argument bucket_name',
    '3: storage.Bucket() is missing required argument id',
    '3: storage.Bucket() is missing required keyword argument bucket_name',
  ]);
});

test('structs take keyword arguments only, and only their fields', () => {
  expect(messages('from demo import Acknowledgment\nAcknowledgment("a", id="a", reasons="b")')).toEqual([
    '2: Acknowledgment(...) takes keyword arguments only, got 1 positional',
    '2: Acknowledgment(...) has no field reasons',
    '2: Acknowledgment(...) is missing required field reason',
  ]);
});

test('imports, names and members must exist', () => {
  expect(messages([
    'from demo import Validation',
    'from demo.compute import Function',
    'import demo.storage as storage',
    'bucket = storage.Bucket("app", "Docs", bucket_name="docs")',
    'bucket.grantRead("someone")',
    'storage.Bucket.grant_read("someone")',
    'storage.Encryption.KMS',
    'undefined_thing.go()',
  ].join('\n'))).toEqual([
    '1: from demo import Validation: demo has no Validation',
    '2: from demo.compute import ...: no such module in the jsii assemblies',
    '5: storage.Bucket has no attribute grantRead',
    '6: storage.Bucket.grant_read: an instance member, not a static one',
    '7: storage.Encryption.KMS: no such static member',
    '8: name undefined_thing is used but never imported or assigned',
  ]);
});

test('what the checker cannot follow is counted as unresolved, not judged', () => {
  const result = check('items = [1, 2]\nitems[0].anything(whatever=True)');
  expect(result.findings).toEqual([]);
  expect(result.unresolvedCalls).toBe(1);
});
