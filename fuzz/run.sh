#!/usr/bin/env bash
# Runs one libFuzzer target for a number of seconds and prints one line of figures.
#
#   fuzz/run.sh BIN_DIR TARGET SECONDS
#
# FUZZ_JOBS (default: the number of cores) processes run side by side.
#
# BIN_DIR holds the fuzz-TARGET executables (fuzz/.build/release or fuzz/.build/debug). The seed
# corpus is fuzz/.build/work/seeds/TARGET (written by fuzz/seeds.py from fixtures/); inputs
# libFuzzer finds go to fuzz/.build/work/corpus/TARGET and carry over to the next run. Inputs
# that once crashed a target, kept in fuzz/regressions/TARGET, are run first. A crash stops
# the run with a non-zero status and leaves the input in fuzz/.build/work/artifacts-CONFIG.
set -euo pipefail

BIN_DIR=$1
TARGET=$2
SECONDS_TO_RUN=$3
BIN="$BIN_DIR/fuzz-$TARGET"
WORK=fuzz/.build/work
# Logs and crash inputs per build (release, debug), so a smoke beside a long run touches neither.
CONFIG=$(basename "$(cd "$BIN_DIR" && pwd -P)")
SEEDS="$WORK/seeds/$TARGET"
CORPUS="$WORK/corpus/$TARGET"
ARTIFACTS="$WORK/artifacts-$CONFIG"
LOGS="$WORK/logs-$CONFIG"
LOG="$LOGS/$TARGET.log"
mkdir -p "$CORPUS" "$ARTIFACTS" "$LOGS"

# Short inputs keep executions fast: a GUID is short, and the multipart reader's logic does not
# depend on the payload's length (longer seeds are cut; the seeds include small bodies of every
# shape, and coverage is the same at 1 KiB as at 4 KiB). The others take what their seeds need.
case "$TARGET" in
  plex-guid) LIMITS=(-max_len=256) ;;
  multipart) LIMITS=(-max_len=1024) ;;
  *) LIMITS=() ;;
esac
DICT=()
[ -f "fuzz/dictionaries/$TARGET.dict" ] && DICT=("-dict=fuzz/dictionaries/$TARGET.dict")

if compgen -G "fuzz/regressions/$TARGET/*" > /dev/null; then
  "$BIN" "fuzz/regressions/$TARGET/"* > "$LOGS/$TARGET-regressions.log" 2>&1 || {
    echo "fuzz $TARGET: a regression input crashes it again (see $LOGS/$TARGET-regressions.log)"; exit 1; }
fi

# FUZZ_JOBS processes (default: one per core) fuzz the target side by side, sharing the corpus
# folder (each reloads what the others add); the figures are their sums.
JOBS=${FUZZ_JOBS:-$(nproc)}
pids=()
rm -f "$LOG".*
for job in $(seq 1 "$JOBS"); do
  "$BIN" -max_total_time="$SECONDS_TO_RUN" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$ARTIFACTS/$TARGET-" "${LIMITS[@]}" "${DICT[@]}" "$CORPUS" "$SEEDS" > "$LOG.$job" 2>&1 &
  pids+=($!)
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=$?; done
cat "$LOG".* > "$LOG"

sum() { sed -n "s/^stat::$1: *//p" "$LOG" | awk '{ total += $1 } END { if (NR) print total }'; }
runs=$(sum number_of_executed_units)
speed=$(sum average_exec_per_sec)
rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$LOG" | sort -n | tail -1)
cov=$(grep -o 'cov: [0-9]*' "$LOG" | cut -d' ' -f2 | sort -n | tail -1 || true)
if [ -z "$cov" ] && [ "$status" -eq 0 ]; then
  echo "fuzz $TARGET: the binary reports no coverage: it was built without instrumentation"; exit 1
fi
units=$(ls "$CORPUS" | wc -l)
if [ "$status" -ne 0 ]; then
  echo "fuzz $TARGET: FAILED after ${runs:-?} executions (status $status); input and log: $ARTIFACTS, $LOG"
  grep -m5 -E 'ERROR|Fatal error|SUMMARY|deadly signal' "$LOG" || true
  exit 1
fi
echo "fuzz $TARGET: ${runs:-0} executions in ${SECONDS_TO_RUN} s (${speed:-0}/s; $JOBS at once), coverage ${cov:-?} edges, corpus ${units} inputs, peak ${rss:-?} MB per process, no crash"
