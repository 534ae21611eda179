#!/usr/bin/env bash
# Usage: scripts/commit-and-push.sh MESSAGE COMMAND...
#
# Runs COMMAND (npm run release/promote) on the tip of the remote branch, commits what it changed and
# pushes. When another pipeline pushed first, the push is rejected as non-fast-forward: it fetches,
# resets to the remote, runs COMMAND again and pushes again, at most PUSH_ATTEMPTS times. The service
# workflows run this script, and test/scripts/commit-and-push.test.ts runs it against a bare repository.
set -euo pipefail
message=${1:?usage: commit-and-push.sh MESSAGE COMMAND...}
shift
[ $# -gt 0 ] || { echo "commit-and-push: no command given" >&2; exit 2; }
remote=${PUSH_REMOTE:-origin}
branch=${PUSH_BRANCH:-main}
attempts=${PUSH_ATTEMPTS:-5}

for attempt in $(seq 1 "$attempts"); do
  git fetch --quiet "$remote" "$branch"
  git reset --quiet --hard "$remote/$branch"
  "$@"
  git add -A releases dist .forgejo
  if git diff --cached --quiet; then
    echo "commit-and-push: nothing changed, nothing to push"
    exit 0
  fi
  git commit --quiet -m "$message"
  if git push --quiet "$remote" "HEAD:$branch"; then
    echo "commit-and-push: pushed on attempt $attempt"
    exit 0
  fi
  echo "commit-and-push: push rejected (attempt $attempt of $attempts); retrying on the new remote tip" >&2
done
echo "commit-and-push: gave up after $attempts rejected pushes" >&2
exit 1
