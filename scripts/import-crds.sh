#!/usr/bin/env bash
# Regenerates imports/ offline: every `prefix:=URL` in cdk8s.yaml is imported from the file with the
# URL's basename found under CRD_DIR, and the defaults of those CRDs go to imports/server-defaults.json. Istio ships no per-CRD files, so its bundle
# (crd-all.gen.yaml) may be replaced by the VirtualService and DestinationRule documents split from it.
set -euo pipefail
if [ "${1:-}" = --help ] || [ "${1:-}" = -h ]; then
  printf 'usage: npm run import -- CRD_DIR\n\nregenerates imports/ (bindings and the CRDs'"'"' server defaults) offline from the CRD files under CRD_DIR\n\nexample:\n  npm run import -- ../shared/crds\n'
  exit 0
fi
crd_dir=${1:?usage: npm run import -- CRD_DIR (e.g. ../shared/crds)}
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

local_copy() {
  local name=$1 found
  found=$(find "$crd_dir" -name "$name" -type f | head -n 1)
  if [ -z "$found" ] && [ "$name" = crd-all.gen.yaml ]; then
    for part in virtualservice-crd.yaml destinationrule-crd.yaml; do
      found=$(find "$crd_dir" -name "$part" -type f | head -n 1)
      [ -n "$found" ] || { echo "import: $part not found under $crd_dir" >&2; exit 1; }
      { echo '---'; cat "$found"; } >>"$scratch/$name"
    done
    found=$scratch/$name
  fi
  [ -n "$found" ] || { echo "import: $name not found under $crd_dir; download it from the URL in cdk8s.yaml" >&2; exit 1; }
  echo "$found"
}

rm -rf imports.new && mkdir imports.new
grep -E '^\s*- [a-z]+:=' cdk8s.yaml | sed -E 's/^\s*- //' | while IFS= read -r spec; do
  prefix=${spec%%:=*}
  file=$(local_copy "$(basename "${spec#*:=}")")
  # --no-save keeps the upstream URLs in cdk8s.yaml
  CDK8S_CHECK_UPGRADE=false npx cdk8s import --no-save --language typescript --output imports.new "$prefix:=$file" >/dev/null 2>&1 \
    || { echo "import: cdk8s import failed for $prefix:=$file" >&2; exit 1; }
  echo "$file" >>"$scratch/files"
done
# The same CRDs' `default:` values, which the synth writes out (lib/synth/server-defaults.ts).
xargs -d '\n' node scripts/crd-defaults.mjs imports.new/server-defaults.json <"$scratch/files"
cp imports/README.md imports.new/ 2>/dev/null || true
rm -rf imports && mv imports.new imports
ls imports
