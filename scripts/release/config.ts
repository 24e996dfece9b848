/**
 * Where the release checks find what they compare (CONTRIBUTING.md, "Releases and versioning").
 * Paths are relative to the repository root.
 */

/**
 * The public API that changes are compared with: the jsii assembly of the previous
 * release (written by `npx projen release`), or, before the first release, the one
 * committed with issue 10 (`npx projen compat:baseline` rewrites it).
 */
export const API_BASELINE = 'compat/cdk-compliant-backup.jsii';

/** The assembly `npx projen compile` writes for the code as it is now. */
export const CURRENT_ASSEMBLY = '.jsii';

/**
 * The committed list of pinned logical IDs of stateful resources (vaults, keys, buckets,
 * tables, databases...). Removing or changing an entry replaces a resource that holds data.
 */
export const STATEFUL_MANIFEST = 'test/stateful/stateful-resources.manifest.json';

/** Release tags, as projen's release writes them (`v0.1.0`). */
export const RELEASE_TAG_GLOB = 'v[0-9]*';

/**
 * Scratch space under node_modules: the baseline's dependencies (aws-cdk-lib, constructs)
 * resolve from there, and test runners and git ignore it.
 */
export const SCRATCH_DIR = 'node_modules/.cache/cdk-compliant-backup-compat';
