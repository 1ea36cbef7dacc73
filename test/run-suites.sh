#!/usr/bin/env bash
# Runs the compiled tests (dist/test) one folder per mocha process, in a fixed order, and fails
# when any folder fails. Why not one process for everything: the suite loads hundreds of models
# and inference worker threads over 10+ minutes, and one CI run of that single process died in
# V8's garbage collector (a "Check failed: marking_done_" in CppHeap::TraceEpilogue, not seen in
# any other run); a process per folder keeps each heap short-lived, and should a process die, the
# other folders still run and the summary names the one that died and by which signal.
# The same V8 check has since killed a process of one folder too (test/tracking, session 7, one
# CI run in two): a folder whose process is killed by a signal is run once more, and the summary
# says so. A failing test is never retried, and a folder that dies twice fails the run.
# The summary at the end repeats what mocha said of each failing test, because a CI log is often
# read from its tail only.
# `npx mocha 'dist/test/**/*.test.js'` runs everything in one process; `npx mocha FILE` runs one file.
set -uo pipefail
cd "$(dirname "$0")/.."

summary=()
failures=()
failed=0
log=$(mktemp /tmp/mobilenet-ros-suite.XXXXXX)
trap 'rm -f "$log"' EXIT

# Runs mocha on the given files, its output both shown and kept in $log.
run_mocha() {
  node --enable-source-maps node_modules/mocha/bin/mocha.js --no-config --timeout 60000 "$@" 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}

# What mocha printed from "N failing" on, colours removed, at most 60 lines.
failure_report() {
  sed -e 's/\x1b\[[0-9;]*m//g' "$log" | sed -n '/^ *[0-9][0-9]* failing/,$p' | head -60
}

for dir in dist/test/*/; do
  name=$(basename "$dir")
  mapfile -t files < <(find "$dir" -name '*.test.js' | sort)
  [ ${#files[@]} -eq 0 ] && continue
  echo "==> test/$name (${#files[@]} files)"
  run_mocha "${files[@]}"
  rc=$?
  retried=""
  if [ $rc -gt 128 ]; then
    signal="$((rc - 128)) ($(kill -l $((rc - 128)) 2>/dev/null || echo '?'))"
    echo "==> test/$name: the mocha process was killed by signal $signal; running the folder once more"
    retried=" (run twice: the first process was killed by signal $signal)"
    run_mocha "${files[@]}"
    rc=$?
  fi
  if [ $rc -eq 0 ]; then
    summary+=("ok      test/$name$retried")
  elif [ $rc -gt 128 ]; then
    summary+=("DIED    test/$name: killed by signal $((rc - 128)) ($(kill -l $((rc - 128)) 2>/dev/null || echo '?'))")
    failed=1
  else
    summary+=("FAILED  test/$name: $rc failing")
    failures+=("--- test/$name" "$(failure_report)")
    failed=1
  fi
done
echo
if [ ${#failures[@]} -gt 0 ]; then
  echo "==> what failed"
  printf '%s\n' "${failures[@]}"
  echo
fi
echo "==> summary"
printf '%s\n' "${summary[@]}"
exit $failed
