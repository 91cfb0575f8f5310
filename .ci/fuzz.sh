#!/usr/bin/env bash
# Coverage-guided fuzzing of the parsers of outside input (src/test/java/dev/hone/fuzz), called by .ci/run after
# ./mvnw verify has compiled the tests. Jazzer fuzzes one @FuzzTest per JVM, so each target gets its own run of
# SECONDS (default 12: about a minute and a half of fuzzing for the eight targets). Longer, locally:
#   bash .ci/fuzz.sh 600                                # ten minutes each
#   bash .ci/fuzz.sh 600 'WebhooksFuzzTest#gitlab'      # one target
# A crash fails the run and prints the input's stack trace; Jazzer writes the input to
# src/test/resources/dev/hone/fuzz/<Class>Inputs/<method>/crash-*, where ./mvnw test replays it. Inputs that
# reached new code are kept in .cifuzz-corpus/ (not in git) and resume the next local run.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-12}"
[ $# -gt 0 ] && shift
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(ConfigFuzzTest#honeYaml ConfigFuzzTest#honeServerYaml
           WebhooksFuzzTest#github WebhooksFuzzTest#gitlab WebhooksFuzzTest#gitea WebhooksFuzzTest#generic
           MetricsFuzzTest#outputLines MetricsFuzzTest#metricsJson)
fi

mkdir -p target/fuzz
for target in "${targets[@]}"; do
  log="target/fuzz/${target/\#/.}.log"
  # @FuzzTest's maxDuration is fixed in the annotation; Jazzer passes the jazzer.internal.arg.N parameters
  # (N=0 stands for argv[0]) to libFuzzer after it, and libFuzzer takes the last -max_total_time it is given.
  # -timeout: one input that takes over 10 s is a finding (a hang), not a stalled run. Coverage is measured in
  # Hone's classes and in the JSON and YAML parsers beneath them, which guides inputs towards well-formed documents.
  if JAZZER_FUZZ=1 ./mvnw -B -ntp -o surefire:test -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.internal.arg.0=jazzer -Djazzer.internal.arg.1="-max_total_time=$seconds" \
      -Djazzer.internal.arg.2=-timeout=10 \
      -Djazzer.instrumentation_includes='dev.hone.**:com.fasterxml.jackson.core.**:org.snakeyaml.engine.**' \
      >"$log" 2>&1; then
    printf 'fuzzed %-32s %s, %s\n' "$target" "$(grep -o -m1 'Done [0-9]* runs in [0-9]* second(s)' "$log")" \
      "$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | grep -o 'cov: [0-9]* ft: [0-9]* corp: [0-9]*' || true)"
  else
    printf 'fuzzing %s failed (whole output: %s):\n' "$target" "$log" >&2
    grep -E -A40 '== Java Exception|Tests run:.*(Fail|Err)|\[ERROR\]' "$log" | head -80 >&2
    exit 1
  fi
done
