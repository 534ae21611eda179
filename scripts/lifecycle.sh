#!/usr/bin/env bash
# The life of a service, end to end, in a scratch clone of the repository: release a new digest to the
# first environment, promote it, roll it back, add a service to fleet.ts and release it, retire a
# service, committing each step; then npm test there, which must hold for whatever fleet a team has.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
git clone --quiet "$repo" "$scratch/infra"
cd "$scratch/infra"
# The clone shares the installed packages instead of installing them again.
ln -s "$repo/node_modules" node_modules
echo node_modules >> .git/info/exclude
git config user.name lifecycle
git config user.email lifecycle@example.com

step() {
  git add -A
  git commit --quiet -m "$1"
  echo "lifecycle: $1"
}

# The example fleet as the commands see it: its environments, its first service and that service's image repository.
fleet_json="$(npm run --silent fleet -- --json)"
read -r first_env second_env service other_service repository < <(node -e '
  const f = JSON.parse(process.argv[1]);
  const s = f.services[0];
  const image = Object.values(s.images).find(Boolean);
  console.log(f.environments[0], f.environments[1], s.service, f.services[1].service, image.replace(/(:[^/@]+)?@sha256:.*$/, ""));
' "$fleet_json")

image="$repository@sha256:$(printf '1%.0s' {1..64})"
npm run --silent release -- --service "$service" --env "$first_env" --image "$image"
step "release $service to $first_env"
# Promotion needs evidence: the canary completed with its analysis successful, a soak time ago.
soaked="$(node -e 'console.log(new Date(Date.now() - 2 * 3600e3).toISOString())')"
npm run --silent verdict -- --env "$first_env" --service "$service" --image "$image" --verdict completed --analysis-run "$service-lifecycle-1" --at "$soaked"
step "verdict: $service completed in $first_env"
npm run --silent promote -- --service "$service" --from "$first_env" --to "$second_env"
step "promote $service to $second_env"
npm run --silent rollback -- --service "$service" --env "$first_env"
step "roll $service back in $first_env"

# A new service, appended to the fleet's services the way a team would write it.
node -e '
  const fs = require("fs");
  const text = fs.readFileSync("fleet.ts", "utf-8");
  const end = text.lastIndexOf("\n  ],\n});");
  if (end < 0) throw new Error("fleet.ts: the end of its services list was not found");
  const cart = "\n    {\n      name: \x27cart\x27,\n      language: Language.NODE,\n      imageRepository: \x27ghcr.io/acme/cart\x27,\n      port: 8080,\n    },";
  fs.writeFileSync("fleet.ts", text.slice(0, end) + cart + text.slice(end));
'
npm run --silent synth | grep -F 'note: cart: not deployed'
step "add cart to fleet.ts"
npm run --silent release -- --service cart --env "$first_env" --image "ghcr.io/acme/cart@sha256:$(printf '2%.0s' {1..64})"
step "release cart to $first_env"
npm run --silent retire -- --service "$other_service"
step "retire $other_service"

# Nothing the commands wrote is left uncommitted, and the output is what a fresh synth makes.
npm run --silent synth >/dev/null
git add --intent-to-add dist .forgejo
git diff --exit-code -- dist .forgejo releases
npm test
echo "lifecycle: passed in $scratch/infra"
