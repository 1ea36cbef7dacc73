#!/usr/bin/env bash
# Runs the compiled tests (dist/test) one folder per mocha process, in a fixed order, and fails
# when any folder fails. Why not one process for everything: the suite loads hundreds of models
# and inference worker threads over 10+ minutes, and one CI run of that single process died in
# V8's garbage collector (a "Check failed: marking_done_" in CppHeap::TraceEpilogue, not seen in
# any other run); a process per folder keeps each heap short-lived, and should a process die, the
# other folders still run and the summary names the one that died and by which signal.
# `npx mocha` alone still runs everything in one process (.mocharc.json).
set -uo pipefail
cd "$(dirname "$0")/.."

summary=()
failed=0
for dir in dist/test/*/; do
  name=$(basename "$dir")
  mapfile -t files < <(find "$dir" -name '*.test.js' | sort)
  [ ${#files[@]} -eq 0 ] && continue
  echo "==> test/$name (${#files[@]} files)"
  node --enable-source-maps node_modules/mocha/bin/mocha.js --no-config --timeout 60000 "${files[@]}"
  rc=$?
  if [ $rc -eq 0 ]; then
    summary+=("ok      test/$name")
  elif [ $rc -gt 128 ]; then
    summary+=("DIED    test/$name: killed by signal $((rc - 128)) ($(kill -l $((rc - 128)) 2>/dev/null || echo '?'))")
    failed=1
  else
    summary+=("FAILED  test/$name: $rc failing")
    failed=1
  fi
done
echo
echo "==> summary"
printf '%s\n' "${summary[@]}"
exit $failed
