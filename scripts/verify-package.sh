#!/usr/bin/env bash
# Proves the published package works the way a user gets it: packs the library,
# installs the tarball into a scratch CDK app with the MINIMUM supported
# aws-cdk-lib, and runs `cdk synth` with a PATH that holds neither Docker nor
# esbuild. Prints what it measured. Usage: bash scripts/verify-package.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

min_cdk=$(node -p 'require("./package.json").peerDependencies["aws-cdk-lib"].replace(/^\^/, "")')
tarball="$root/$(ls dist/js/*.tgz 2>/dev/null | head -1)"
[ -f "$tarball" ] || { echo "no tarball in dist/js: run 'npx projen build' (or compile + package:js) first" >&2; exit 1; }

app="$(mktemp -d)"
trap 'rm -rf "$app"' EXIT
cd "$app"
cat > package.json <<JSON
{ "name": "scratch-consumer", "version": "1.0.0", "private": true }
JSON
npm install --no-audit --no-fund --silent "$tarball" "aws-cdk-lib@$min_cdk" constructs@^10 aws-cdk@^2 >/dev/null

cat > app.js <<'JS'
const { App, Stack, Duration } = require('aws-cdk-lib');
const { AuditedVault, BackupTier, CompliantBackupSystem, CrossRegionDr } = require('cdk-compliant-backup');
const app = new App();
const stack = new Stack(app, 'ScratchConsumer', { env: { account: '123456789012', region: 'eu-west-1' } });
new AuditedVault(stack, 'Vault', { vaultLock: { minRetention: Duration.days(7) } });
// All three constructs, so every bundled handler and every aws-cdk-lib module the library uses is exercised.
const backups = new CompliantBackupSystem(stack, 'Backups', { tiers: [BackupTier.daily({ copyToDr: true })], landingStorage: {} });
new CrossRegionDr(stack, 'Dr', { drRegion: 'eu-central-1', rpo: Duration.days(1), rto: Duration.hours(4), backupSystem: backups });
app.synth();
JS
echo '{ "app": "node app.js" }' > cdk.json

# PATH holds node alone: no docker, no esbuild, no global tools.
node_dir="$app/.node-only-bin"
mkdir -p "$node_dir"
ln -s "$(command -v node)" "$node_dir/node"
if [ -e node_modules/esbuild ] || [ -e node_modules/.bin/esbuild ]; then echo "esbuild was installed as a dependency" >&2; exit 1; fi
start=$(date +%s.%N)
env -i HOME="$HOME" PATH="$node_dir" CDK_DISABLE_VERSION_CHECK=1 CI=true node node_modules/aws-cdk/bin/cdk synth --quiet >/dev/null
end=$(date +%s.%N)

assets=0
for dir in cdk.out/asset.*/; do
  [ -s "$dir/index.js" ] || { echo "no bundled handler in $dir" >&2; exit 1; }
  assets=$((assets + 1))
done
resources=$(node -p 'Object.keys(require("./cdk.out/ScratchConsumer.template.json").Resources).length')
stacks=$(ls cdk.out/*.template.json | wc -l)
runtime=$(node -p 'Object.values(require("./cdk.out/ScratchConsumer.template.json").Resources).find(r => r.Type === "AWS::Lambda::Function").Properties.Runtime')
echo "package:        $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB)"
echo "aws-cdk-lib:    $(node -p 'require("aws-cdk-lib/package.json").version') (the minimum the package accepts)"
echo "cdk synth:      $(node -e "console.log(($end - $start).toFixed(1))") s with PATH holding only node (no docker, no esbuild)"
echo "templates:      $stacks stacks, $resources resources in the primary; Lambda runtime $runtime; $assets pre-bundled handler assets"
echo "OK: a consumer app synthesizes AuditedVault, CompliantBackupSystem and CrossRegionDr from the packed tarball"
