#!/usr/bin/env bash
# Benchmark 5 on a GPU machine: the full schedule of all six recipes (`python -m core train-all`)
# in a temporary copy of core/ (its own trained/ and runs/), timed per recipe, set-up included.
#
#   bash bench/gpu.sh --prepare [SRC]   # here: copy SRC (default ../shared/data) into data/, git-ignored:
#                                       # cats_and_dogs_small (39 MB) + mnist/mnist.npz, the $CONVNET_DATA layout
#   bash bench/gpu.sh [OPTIONS]         # there, from the repo root with data/ carried along;
#                                       # OPTIONS go to train-all, e.g. --epochs scratch_augmented=40
#
# Installs requirements-gpu.txt first (from .whl/ with --no-index when that folder is there, else
# from the index pip is set up with). Writes bench/results/gpu_training.json ($RESULTS to change)
# and, when $OUT is set, copies it and the train-all log there. Stops at once without a GPU.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${CONVNET_DATA:-$PWD/data}
PY=${PYTHON:-python3}

if [[ ${1:-} == --prepare ]]; then
  src=${2:-../shared/data}
  mkdir -p "$DATA/mnist"
  rm -rf "$DATA/cats_and_dogs_small"
  cp -r "$src/cats_and_dogs_small" "$DATA/"
  cp "$src/mnist/mnist.npz" "$DATA/mnist/"
  du -sh "$DATA"
  exit 0
fi

[[ -d $DATA/cats_and_dogs_small && -f $DATA/mnist/mnist.npz ]] || {
  echo "no data in $DATA: run 'bash bench/gpu.sh --prepare' where the data is, and carry data/" >&2; exit 2; }
started=$(date +%s)
wheels=()
[[ -d .whl ]] && wheels=(--no-index --find-links .whl)
$PY -m pip uninstall -y -q onnxruntime >/dev/null 2>&1 || true  # it shares a folder with onnxruntime-gpu
$PY -m pip install -q "${wheels[@]}" -r requirements-gpu.txt
$PY -c 'import sys, tensorflow as tf; g = tf.config.list_physical_devices("GPU"); print("TensorFlow sees", g); sys.exit(0 if g else "no GPU visible to TensorFlow: nothing to time")'
setup=$(( $(date +%s) - started ))

work=$(mktemp -d)
cp -r core "$work/"
mkdir -p "$work/trained" && cp -r trained/reference "$work/trained/"
trained=$(date +%s)
status=0  # a failed recipe still leaves the others' timings to collect
( cd "$work" && CONVNET_RUNS="$work/runs" CONVNET_DATA="$DATA" TF_CPP_MIN_LOG_LEVEL=2 $PY -m core train-all "$@" ) 2>&1 \
  | tee "$work/train-all.log" || status=$?
training=$(( $(date +%s) - trained ))

results=${RESULTS:-bench/results}
$PY -m bench.training collect "$work/runs" --results "$results" --setup-seconds "$setup" --train-seconds "$training"
if [[ -n ${OUT:-} ]]; then cp "$results/gpu_training.json" "$work/train-all.log" "$OUT/"; fi
echo "set-up ${setup} s, training ${training} s, total $(( setup + training )) s; runs in $work"
exit "$status"
