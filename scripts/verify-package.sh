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
const { AuditedVault } = require('cdk-compliant-backup');
const app = new App();
const stack = new Stack(app, 'ScratchConsumer', { env: { account: '123456789012', region: 'eu-west-1' } });
new AuditedVault(stack, 'Vault', { vaultLock: { minRetention: Duration.days(7) } });
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

asset_dir=$(ls -d cdk.out/asset.*/ | head -1)
[ -s "$asset_dir/index.js" ] || { echo "no bundled handler in $asset_dir" >&2; exit 1; }
resources=$(node -p 'Object.keys(require("./cdk.out/ScratchConsumer.template.json").Resources).length')
runtime=$(node -p 'Object.values(require("./cdk.out/ScratchConsumer.template.json").Resources).find(r => r.Type === "AWS::Lambda::Function").Properties.Runtime')
echo "package:        $(basename "$tarball") ($(du -k "$tarball" | cut -f1) KiB)"
echo "aws-cdk-lib:    $(node -p 'require("aws-cdk-lib/package.json").version') (the minimum the package accepts)"
echo "cdk synth:      $(node -e "console.log(($end - $start).toFixed(1))") s with PATH holding only node (no docker, no esbuild)"
echo "template:       $resources resources; Lambda runtime $runtime; handler asset $(du -k "$asset_dir/index.js" | cut -f1) KiB, pre-bundled"
echo "OK: a consumer app synthesizes an AuditedVault from the packed tarball"
