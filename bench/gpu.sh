#!/usr/bin/env bash
# Benchmark 5 on the lent GPU machine (one H200; Python 3.12 with JAX, PyTorch, CUDA 13 and no
# TensorFlow, nothing reachable from it; see the device tool's KINDS.md): the six recipes' full
# book schedules under KERAS_BACKEND=jax, timed per recipe, set-up included, in one call.
#
#   bash bench/gpu.sh --prepare [SRC]     # here: data/ <- SRC (default ../shared/data): cats_and_dogs_small
#                                         #   (the original JPEGs, 39 MB) + mnist/mnist.npz (11 MB), and
#                                         #   .whl/ <- keras 3.15.1, namex, optree for CPython 3.12 (what the
#                                         #   machine lacks); both folders are git-ignored and carried
#   bash bench/gpu.sh --dry-run [--subset N]   # here: what the call would carry and its size, then the first
#                                         #   epoch of each recipe under JAX on this CPU (N photos per class
#                                         #   and split, for a quick check)
#   bash bench/gpu.sh                     # there, from the repo root: run(carry=[".whl", "data"])
#
# What travels: the checkout's tracked files present on disk, untracked files git does not ignore,
# and the carried data/ and .whl/. trained/ (70 MB of shipped models) must not: before the call, in
# the checkout the session sends, `git sparse-checkout set --no-cone '/*' '!/trained/'` takes it
# out of the working tree (not out of the repository); `git sparse-checkout disable` brings it back.
# The dry run counts exactly that and says whether it fits in 64 MiB.
#
# On the machine: installs .whl/ into /tmp/site, checks that JAX sees a GPU, trains into a temporary
# runs folder within $BUDGET seconds (default 480: one call may run 600; a recipe cut short counts
# the epochs it finished), then writes gpu_training.json (histories, per-recipe times, Keras test
# accuracy, backend/device/precision) and gpu-train.log to $OUT (or bench/results). No model comes
# back: without TensorFlow nothing is exported there, and the models are larger than 16 MiB a file.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=$PWD/data
PY=${PYTHON:-python3}
WHEELS=(keras==3.15.1 namex==0.1.0 optree==0.20.0)  # keras' needs that KINDS.md's package list lacks

if [[ ${1:-} == --prepare ]]; then
  src=${2:-../shared/data}
  mkdir -p "$DATA/mnist" .whl
  rm -rf "$DATA/cats_and_dogs_small"
  cp -r "$src/cats_and_dogs_small" "$DATA/"
  cp "$src/mnist/mnist.npz" "$DATA/mnist/"
  $PY -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
    --platform manylinux2014_x86_64 --platform manylinux1_x86_64 -d .whl "${WHEELS[@]}"
  du -sh "$DATA" .whl
  exit 0
fi

if [[ ${1:-} == --dry-run ]]; then
  [[ -d $DATA/cats_and_dogs_small && -d .whl ]] || { echo "run 'bash bench/gpu.sh --prepare' first" >&2; exit 2; }
  echo "What the device call would carry (run(carry=[\".whl\", \"data\"])):"
  fits=0; $PY -m bench.gpu travel --carry .whl data || fits=$?
  work=$(mktemp -d); data=$DATA
  if [[ ${2:-} == --subset ]]; then data=$($PY -m bench.gpu subset "$DATA" "$work/data" --per-class "${3:-8}"); fi
  echo "First epoch of each recipe under JAX on this CPU (data: $data):"
  started=$(date +%s)
  KERAS_BACKEND=jax $PY -m bench.gpu train "$work/runs" --data "$data" --epochs 1 2>&1 | tee "$work/gpu-train.log" \
    | grep -E "^(Keras|[a-z_]+: )" || true
  $PY -m bench.training collect "$work/runs" --results "$work" --setup-seconds 0 >/dev/null
  $PY - "$work/gpu_training.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))["data"]
for recipe, r in data["recipes"].items():
    val, test = (f"{v:.3f}" if v is not None else "-" for v in (r["final_val_accuracy"], r["test_accuracy"]))
    print(f"  {recipe:30} {r['epochs']} epoch  {r['seconds']:7.1f} s  val {val}  test {test}  "
          f"({r['backend']}, {r['device']}, {r['precision']})")
PY
  echo "dry run: $(( $(date +%s) - started )) s; runs in $work"
  exit "$fits"
fi

[[ -d $DATA/cats_and_dogs_small && -f $DATA/mnist/mnist.npz && -d .whl ]] || {
  echo "no data/ or .whl/ here: run 'bash bench/gpu.sh --prepare' where the data is, and carry both" >&2; exit 2; }
started=$(date +%s)
$PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
export PYTHONPATH=/tmp/site:$PWD KERAS_BACKEND=jax
$PY -c 'import sys, jax; g = [d for d in jax.devices() if d.platform == "gpu"]; print("JAX sees", g); sys.exit(0 if g else "no GPU visible to JAX: nothing to time")'
setup=$(( $(date +%s) - started ))

work=$(mktemp -d)
trained=$(date +%s)
status=0  # a recipe cut short by the budget still leaves its epochs and the others' timings to collect
timeout -s INT "${BUDGET:-480}" $PY -m bench.gpu train "$work/runs" --data "$DATA" 2>&1 | tee "$work/gpu-train.log" || status=$?
training=$(( $(date +%s) - trained ))

results=${OUT:-bench/results}
$PY -m bench.training collect "$work/runs" --results "$results" --setup-seconds "$setup" --train-seconds "$training"
[[ -n ${OUT:-} ]] && cp "$work/gpu-train.log" "$OUT/"
echo "set-up ${setup} s, training ${training} s, total $(( setup + training )) s; runs in $work"
exit "$status"
