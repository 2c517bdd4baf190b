"""`python -m bench [NAME ...] [--quick] [--results DIR]`: run all benchmarks or some, write
`DIR/<name>.json` each, then regenerate the README from the results files. Several benchmarks
run one after another, each in its own interpreter."""
from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import time
import traceback
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import bench  # noqa: E402  (after the TF log level, which TensorFlow reads at import)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=bench.__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks to run (default all): {', '.join(bench.BENCHMARKS)}")
    p.add_argument("--quick", action="store_true", help="a smoke run: few repetitions, small inputs; "
                   "writes NAME.smoke.json and prints the tables instead of updating the README")
    p.add_argument("--results", type=Path, default=bench.RESULTS_DIR,
                   help="results folder (default bench/results; the README lands in bench/ for the default, "
                        "else in this folder)")
    p.add_argument("--no-readme", action="store_true", help=argparse.SUPPRESS)  # set for the per-benchmark children
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    unknown = [n for n in args.names if n not in bench.BENCHMARKS]
    if unknown:
        print(f"error: unknown benchmark {', '.join(unknown)}; choose from {', '.join(bench.BENCHMARKS)}", file=sys.stderr)
        return 2
    names = args.names or list(bench.BENCHMARKS)
    failed, written = [], []
    if len(names) > 1:  # each in a fresh interpreter: no threads, caches or memory left by the one before
        for name in names:
            flags = ["--quick"] * args.quick + ["--results", str(args.results), "--no-readme"]
            path = bench.result_path(args.results, name, args.quick)
            if subprocess.run([sys.executable, "-m", "bench", name, *flags]).returncode != 0:
                failed.append(name)
            elif path.exists():  # absent when the benchmark was skipped
                written.append(path)
        names = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        reason = module.missing()
        if reason:
            print(f"{name}: skipped, {reason}", file=sys.stderr)
            continue
        print(f"{name}: running{' (quick)' if args.quick else ''}…", file=sys.stderr, flush=True)
        started, machine = time.time(), bench.machine()
        try:
            report = module.run(quick=args.quick)
        except Exception:
            traceback.print_exc()
            print(f"{name}: failed (traceback above); its results file is left as it was", file=sys.stderr)
            failed.append(name)
            continue
        path = bench.write_result(args.results, name, module.TITLE, report, args.quick, time.time() - started, machine)
        written.append(path)
        print(f"{name}: {time.time() - started:.0f} s -> {path}", file=sys.stderr, flush=True)
    if args.quick and not args.no_readme:
        print(bench.render([json.loads(p.read_text()) for p in written]))
    elif written and not args.no_readme:
        readme = bench.README if args.results.resolve() == bench.RESULTS_DIR else args.results / "README.md"
        print(f"README: {bench.write_readme(args.results, readme)}", file=sys.stderr)
        if readme == bench.README:
            bench.write_project_readme(args.results)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
