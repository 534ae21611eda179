#!/usr/bin/env bash
# Usage: scripts/commit-and-push.sh MESSAGE COMMAND...
#
# Runs COMMAND (npm run release/promote) on the tip of the remote branch, commits exactly the files it
# wrote and pushes. When another pipeline pushed first, the push is rejected as non-fast-forward: it
# waits (exponential backoff with jitter), fetches, starts again from the new tip, runs COMMAND again
# and pushes again, until PUSH_DEADLINE_SECONDS have passed. A push refused while the remote tip did not
# move (a server hook, branch protection, credentials) stops at once with the server's message. It refuses to start on a working tree
# with local changes, which starting again from the remote tip would discard. The service workflows
# run this script; test/scripts/commit-and-push.integration.test.ts runs it against a bare repository.
set -euo pipefail
message=${1:?usage: commit-and-push.sh MESSAGE COMMAND...}
shift
[ $# -gt 0 ] || { echo "commit-and-push: error: no command given; usage: commit-and-push.sh MESSAGE COMMAND..." >&2; exit 2; }
remote=${PUSH_REMOTE:-origin}
branch=${PUSH_BRANCH:-main}
deadline=${PUSH_DEADLINE_SECONDS:-300}
backoff_ms=${PUSH_BACKOFF_MS:-1000}

local_changes=$(git status --porcelain)
if [ -n "$local_changes" ]; then
  echo "commit-and-push: error: the working tree has local changes, which starting from the remote tip would discard:" >&2
  echo "$local_changes" >&2
  echo "commit or stash them first" >&2
  exit 2
fi

written=$(mktemp)
output=$(mktemp)
trap 'rm -f "$written" "$output"' EXIT
start=$(date +%s)
attempt=0
while :; do
  attempt=$((attempt + 1))
  git fetch --quiet "$remote" "$branch"
  base=$(git rev-parse "$remote/$branch")
  # Only this script's own commit of an earlier attempt is dropped: the tree was clean at the start.
  git reset --quiet --hard "$base"
  : > "$written"
  INFRA_WRITTEN_FILES="$written" "$@" | tee "$output"
  mapfile -t files < "$written"
  [ "${#files[@]}" -gt 0 ] && git add -A -- "${files[@]}"
  if git diff --cached --quiet; then
    echo "commit-and-push: nothing changed, nothing to push"
    exit 0
  fi
  # The lines the command's output ends with that are commit trailers (`Key: value`: a verdict's
  # Analysis-Run, an override's reason) go into the commit message, where git and the review read them.
  trailers=$(awk '{ line[NR] = $0 } END { n = NR; while (n > 0 && line[n] ~ /^[A-Z][A-Za-z0-9-]*: /) n--; for (i = n + 1; i <= NR; i++) print line[i] }' "$output")
  if [ -n "$trailers" ]; then git commit --quiet -m "$message" -m "$trailers"; else git commit --quiet -m "$message"; fi
  if push_output=$(git push --quiet "$remote" "HEAD:$branch" 2>&1); then
    echo "commit-and-push: pushed on attempt $attempt"
    exit 0
  fi
  # Only a tip that moved is a lost race; a hook, a protected branch or lost credentials stay refused.
  git fetch --quiet "$remote" "$branch" || true
  if [ "$(git rev-parse "$remote/$branch")" = "$base" ]; then
    echo "commit-and-push: error: the push was refused, and not because another pipeline pushed first; the server said:" >&2
    echo "$push_output" >&2
    echo "fix what the server names (a hook, branch protection, credentials), then run the pipeline again" >&2
    exit 1
  fi
  elapsed=$(( $(date +%s) - start ))
  if [ "$elapsed" -ge "$deadline" ]; then
    echo "commit-and-push: error: gave up after $attempt rejected pushes in ${elapsed}s; run the pipeline again" >&2
    exit 1
  fi
  # Exponential backoff with full jitter, capped at 30 s, so racing pipelines spread out.
  cap=$(( backoff_ms * (1 << (attempt < 6 ? attempt - 1 : 5)) ))
  [ "$cap" -gt 30000 ] && cap=30000
  delay_ms=$(( RANDOM * cap / 32768 ))
  echo "commit-and-push: push rejected (attempt $attempt); retrying on the new remote tip in ${delay_ms} ms" >&2
  sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
done
