#!/usr/bin/env bash
# Proves the published package works the way a user gets it: installs the packed
# tarball into a fresh scratch CDK app twice, once with the MINIMUM aws-cdk-lib the
# package accepts (its peer dependency) and once with the NEWEST on the registry
# (`npm view aws-cdk-lib version`), adds cdk-nag's four packs and the AWS Control
# Tower rules, and runs `cdk synth` with a PATH that holds neither Docker nor esbuild.
# Fails on any finding. Prints, per version, what it measured.
# Needs the tarball: npx projen compile && npx projen package:js  (bundle runs in compile's pre-step).
# Usage: bash scripts/verify-package.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

tarball="$root/$(ls dist/js/*.tgz 2>/dev/null | head -1)"
[ -f "$tarball" ] || { echo "no tarball in dist/js: run 'npx projen compile && npx projen package:js' (or 'npx projen build') first" >&2; exit 1; }

min_cdk=$(node -p 'require("./package.json").peerDependencies["aws-cdk-lib"].replace(/^\^/, "")')
newest_cdk=$(npm view aws-cdk-lib version)
# The same checkers the repository's tests run, at the versions its lock file holds.
nag=$(node -p 'require("cdk-nag/package.json").version')
guard=$(node -p 'require("@cdklabs/cdk-validator-cfnguard/package.json").version')
echo "package:        $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB)"
echo "aws-cdk-lib:    minimum $min_cdk (peer dependency), newest $newest_cdk (npm view aws-cdk-lib version)"
echo "checks:         cdk-nag $nag (AwsSolutions, HIPAA Security, NIST 800-53 rev5, PCI DSS 3.2.1), cdk-validator-cfnguard $guard (Control Tower)"

scratch_root="$(mktemp -d)"
trap 'rm -rf "$scratch_root"' EXIT

# verify LABEL VERSION: one fresh consumer app on aws-cdk-lib VERSION.
verify() {
  local label="$1" version="$2"
  local app="$scratch_root/$label"
  mkdir -p "$app" && cd "$app"
  cat > package.json <<JSON
{ "name": "scratch-consumer-$label", "version": "1.0.0", "private": true }
JSON
  npm install --no-audit --no-fund --silent "$tarball" "aws-cdk-lib@$version" constructs@^10 aws-cdk@^2 \
    "cdk-nag@$nag" "@cdklabs/cdk-validator-cfnguard@$guard" >/dev/null
  # One copy of aws-cdk-lib: cdk-nag's rules test instanceof against the app's copy.
  local copies
  copies=$(find node_modules -path '*/aws-cdk-lib/package.json' -not -path '*/aws-cdk-lib/node_modules/*' | wc -l)
  [ "$copies" = 1 ] || { echo "[$label] $copies copies of aws-cdk-lib installed; cdk-nag would check another copy than the app's" >&2; exit 1; }
  [ "$(node -p 'require("aws-cdk-lib/package.json").version')" = "$version" ] || { echo "[$label] aws-cdk-lib is not $version" >&2; exit 1; }
  if [ -e node_modules/esbuild ] || [ -e node_modules/.bin/esbuild ]; then echo "[$label] esbuild was installed as a dependency" >&2; exit 1; fi

  cat > app.js <<'JS'
const { App, Stack, Duration, Validations } = require('aws-cdk-lib');
const { CfnGuardValidator } = require('@cdklabs/cdk-validator-cfnguard');
const { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks } = require('cdk-nag');
const { AuditedVault, BackupTier, CompliantBackupSystem, CrossRegionDr } = require('cdk-compliant-backup');
const app = new App();
const stack = new Stack(app, 'ScratchConsumer', { env: { account: '123456789012', region: 'eu-west-1' } });
new AuditedVault(stack, 'Vault', { vaultLock: { minRetention: Duration.days(7) } });
// All three constructs, so every bundled handler and every aws-cdk-lib module the library uses is exercised.
// Configured so the library has nothing to warn about: its advice reaches the validation report
// under cdk init's flags (annotationsInValidationReport) and counts as a finding here.
const backups = new CompliantBackupSystem(stack, 'Backups', {
  tiers: [BackupTier.daily({ copyToDr: true })], landingStorage: {}, audit: { configRecorder: true },
});
// A daily copy plus its start and completion windows can be up to 33 hours old.
new CrossRegionDr(stack, 'Dr', { drRegion: 'eu-central-1', rpo: Duration.hours(36), rto: Duration.hours(4), backupSystem: backups });
Validations.of(app).addPlugins(
  new AwsSolutionsChecks(app), new HIPAASecurityChecks(app), new NIST80053R5Checks(app), new PCIDSS321Checks(app),
  new CfnGuardValidator(),
);
app.synth();
JS
  # cdk.json as `cdk init` writes it: the installed aws-cdk-lib's recommended feature flags.
  node -e 'const flags = require("aws-cdk-lib/recommended-feature-flags.json");
    require("fs").writeFileSync("cdk.json", JSON.stringify({ app: "node app.js", context: flags }, null, 2))'

  # PATH holds node alone: no docker, no esbuild, no global tools.
  local node_dir="$app/.node-only-bin"
  mkdir -p "$node_dir"
  ln -s "$(command -v node)" "$node_dir/node"
  local start end status=0
  start=$(date +%s.%N)
  env -i HOME="$HOME" PATH="$node_dir" CDK_DISABLE_VERSION_CHECK=1 CI=true \
    node node_modules/aws-cdk/bin/cdk synth --quiet >synth.log 2>&1 || status=$?
  end=$(date +%s.%N)

  # Every violation of every plugin (validation reports of the app and of any nested assembly), one per construct.
  local findings
  findings=$(node -e '
    const fs = require("fs"), path = require("path");
    const lines = [];
    const visit = (dir) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) visit(p);
        else if (e.name === "validation-report.json") {
          for (const plugin of JSON.parse(fs.readFileSync(p, "utf8")).pluginReports ?? []) {
            for (const v of plugin.violations ?? []) {
              for (const c of v.violatingConstructs ?? [{}]) lines.push(`${plugin.pluginName} ${v.ruleName} @ ${c.constructPath ?? "?"}`);
            }
          }
        }
      }
    };
    if (fs.existsSync("cdk.out")) visit("cdk.out");
    console.log(lines.join("\n"));')
  local count=0
  [ -n "$findings" ] && count=$(printf '%s\n' "$findings" | wc -l)
  if [ "$status" != 0 ] || [ "$count" != 0 ]; then
    echo "[$label] aws-cdk-lib $version: cdk synth exited $status with $count finding(s)" >&2
    [ -n "$findings" ] && printf '%s\n' "$findings" >&2
    tail -40 synth.log >&2
    exit 1
  fi

  local assets=0
  for dir in cdk.out/asset.*/; do
    [ -s "$dir/index.js" ] || { echo "[$label] no bundled handler in $dir" >&2; exit 1; }
    assets=$((assets + 1))
  done
  local summary
  summary=$(node -e '
    const fs = require("fs");
    const manifest = require("./cdk.out/manifest.json");
    const stacks = Object.values(manifest.artifacts).filter((a) => a.type === "aws:cloudformation:stack")
      .map((a) => JSON.parse(fs.readFileSync("cdk.out/" + a.properties.templateFile, "utf8")));
    const resources = stacks.map((t) => Object.keys(t.Resources ?? {}).length);
    const runtimes = new Set(stacks.flatMap((t) => Object.values(t.Resources ?? {}))
      .filter((r) => r.Type === "AWS::Lambda::Function").map((r) => r.Properties.Runtime));
    console.log(`${stacks.length} stacks, ${resources.reduce((a, b) => a + b, 0)} resources (${resources.join(" + ")}); Lambda runtime ${[...runtimes].join(", ")}`);')
  printf '%-8s aws-cdk-lib %-8s  cdk synth %5s s  %s; %d pre-bundled handler assets; %d findings\n' \
    "$label" "$version" "$(node -e "console.log(($end - $start).toFixed(1))")" "$summary" "$assets" "$count"
  cd "$root"
}

verify minimum "$min_cdk"
verify newest "$newest_cdk"
echo "(cdk synth timed with PATH holding only node: no docker, no esbuild; aws-cdk-lib's built-in template validation on, as a user gets it)"
echo "OK: the packed tarball synthesizes AuditedVault, CompliantBackupSystem and CrossRegionDr with zero findings on aws-cdk-lib $min_cdk and $newest_cdk"
