"""The command line: `python -m core COMMAND`. Run `python -m core --help` for the list."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from core import recipes
from core.artifacts.card import CARD_NAME, Card, dataset_of
from core.data.manifest import MODES


def cmd_recipes(args) -> int:
    print(f"{'id':30} {'book':10} {'epochs':>6} {'batch':>5} {'lr':>8}  aug  title")
    for r in recipes.RECIPES.values():
        lr = f"{r.learning_rate:g}" if r.learning_rate else "default"
        print(f"{r.id:30} L{r.listings:9} {r.epochs:6} {r.batch_size:5} {lr:>8}  {'yes' if r.augmentation else ' - '}  {r.title}")
    return 0


def cmd_summary(args) -> int:
    from core.training import models

    recipe = recipes.get(args.recipe)
    model = models.build(recipe, args.base, base_weights=False)
    if recipe.unfreeze_top:
        models.unfreeze_top(model, recipe.base_for(args.base), recipe.unfreeze_blocks)
    rows = models.summary_rows(model)
    total = int(model.count_params())
    trainable = int(sum(w.numpy().size for w in model.trainable_weights))
    if args.json:
        print(json.dumps({"recipe": recipe.id, "layers": rows, "params": total, "trainable_params": trainable,
                          "trainable_weights": len(model.trainable_weights)}, indent=1))
        return 0
    print(f"Model: {recipe.id} (book listings {recipe.listings})")
    print(f"{'Layer (type)':40} {'Output shape':24} {'Param #':>12}")
    for row in rows:
        shape = "(" + ", ".join("None" if d is None else str(d) for d in row["output_shape"]) + ")"
        print(f"{row['layer'] + ' (' + row['type'] + ')':40} {shape:24} {row['params']:12,}")
    print(f"Total params: {total:,}\nTrainable params: {trainable:,} ({len(model.trainable_weights)} weight tensors)")
    return 0


def cmd_summaries(args) -> int:
    from core.artifacts.files import atomic_write_json
    from core.explainers import architecture, summaries

    data = summaries.build_all()
    atomic_write_json(architecture.SUMMARIES, data)
    print(f"{architecture.SUMMARIES}: {len(data['summaries'])} summaries and model_no_max_pool")
    return 0


def cmd_train(args) -> int:
    from core.training.train import train

    run = train(args.recipe, base=args.base, epochs=args.epochs, data_dir=args.data, out=args.out,
                seed=args.seed, start_from=args.start_from, resume=args.resume, precision=args.precision,
                verbose=1 if sys.stdout.isatty() else 2, split_mode=args.split)
    card = Card.read(run)
    print(f"{run}: test accuracy {card.test_accuracy:.4f} after {card.epochs} epochs "
          f"({card.seconds:.0f} s on {card.device})")
    return 0


def cmd_export(args) -> int:
    import keras
    import numpy as np

    from core.artifacts.files import sha256_file
    from core.training.export import export_onnx

    run = Path(args.run_dir)
    if not (run / CARD_NAME).is_file():  # the card names the recipe and the data the metadata describes
        raise FileNotFoundError(f"{run / CARD_NAME} is missing: finish the run with "
                                f"`python -m core train RECIPE --resume --out {run}`, which exports it")
    card = Card.read(run)
    model = keras.models.load_model(run / "model.keras")
    rng = np.random.default_rng(0)
    sample = rng.uniform(0, 255, (8, *model.input_shape[1:])).astype("float32")
    diff = export_onnx(model, run / "model.onnx", sample, dataset_of(card), card.data_fingerprint)
    card.replace(sha256=sha256_file(run / "model.onnx"), parity_max_abs_diff=diff).write(run)
    print(f"{run / 'model.onnx'}: parity max abs diff {diff:.2e}")
    return 0


def cmd_label(args) -> int:
    from core.artifacts.files import sha256_file
    from core.artifacts.rundir import read_run
    from core.training.export import label_file

    for run_dir in args.run_dirs:
        info = read_run(run_dir)
        if not info.ok:
            raise ValueError(f"{run_dir} cannot be labelled: {info.problem}")
        dataset = dataset_of(info.card)
        label_file(info.path / "model.onnx", dataset, info.card.data_fingerprint)
        sha256 = sha256_file(info.path / "model.onnx")
        info.card.replace(sha256=sha256).write(info.path)
        print(f"{info.path / 'model.onnx'}: labelled for {dataset.id}, sha256 {sha256[:12]}")
    return 0


def cmd_predict(args) -> int:
    from core.data.images import BadImage, open_image
    from core.serving.inference import predictor

    model = predictor(args.model_dir)
    results = []
    for image_path in args.images:
        try:
            p = model.predict(open_image(Path(image_path)))
            results.append({"image": image_path, "label": p.label, "confidence": round(p.confidence, 4),
                            "probabilities": {k: round(float(v), 4) for k, v in zip(p.labels, p.probabilities)},
                            "latency_ms": round(p.latency_ms, 2), "provider": model.provider})
        except (BadImage, OSError) as error:
            results.append({"image": image_path, "error": str(error)})
    print(json.dumps(results, indent=1))
    return 0 if all("error" not in r for r in results) else 1


def cmd_explain(args) -> int:
    """Grad-CAM (Listings 5.40-5.44) of one image: the overlay as a PNG, the heatmap as JSON."""
    import io

    import numpy as np

    from core.artifacts.files import atomic_write_bytes
    from core.data.images import open_image
    from core.explainers.inside import overlay
    from core.serving.explain import explainer

    model = explainer(args.run_dir)
    if model.gradcam_problem:
        raise ValueError(f"{args.run_dir}: no Grad-CAM: {model.gradcam_problem}")
    image = open_image(Path(args.image))
    inside = model.inside(image, feature_maps=False)
    names = [name.lower() for name in model.model.labels]
    english = [name.lower() for name in model.model.display_names["en"]]
    wanted = (args.class_name or "").lower()
    if wanted and wanted not in names + english:
        raise ValueError(f"--class {args.class_name}: the model's classes are {', '.join(model.model.labels)}")
    index = (names.index(wanted) if wanted in names else english.index(wanted)) if wanted \
        else int(inside.probabilities.argmax())
    heatmap = inside.heatmap(index)
    buffer = io.BytesIO()
    overlay(image, heatmap, args.opacity).save(buffer, format="PNG")
    atomic_write_bytes(Path(args.out), buffer.getvalue())
    result = {"model": str(args.run_dir), "image": args.image, "class": model.model.labels[index],
              "probability": round(float(inside.probabilities[index]), 6), "layer": model.last_conv.name,
              "shape": list(heatmap.shape), "heatmap": np.round(heatmap.astype(float), 6).tolist(), "out": str(args.out)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{args.out}: Grad-CAM of {result['class']} ({result['probability']:.1%}) at {result['layer']}, "
              f"{heatmap.shape[0]}x{heatmap.shape[1]}")
    return 0


def cmd_patterns(args) -> int:
    from core.training.patterns import compute

    index = compute(args.run_dir, filters=args.filters, tile=args.tile, seed=args.seed)
    print(f"{args.run_dir}: filter patterns of {', '.join(row['name'] for row in index['layers'])} "
          f"({index['steps']} steps, seed {index['seed']}, weights from {index['weights']})")
    return 0


def cmd_prepare_data(args) -> int:
    from core.data.split import build_split

    report = build_split(Path(args.source), Path(args.out))
    print(json.dumps(report, indent=1))
    return 0


def cmd_samples(args) -> int:
    from core.data.folders import write_samples

    print(json.dumps(write_samples(args.data), indent=1))
    return 0


def cmd_check_data(args) -> int:
    from core.data.check import check
    from core.data.labelled import scan
    from core.data.manifest import split

    found = scan(Path(args.path))
    report = check(found.root, found)
    manifest = split(report, args.seed, found.splits) if args.split else None
    issues = None
    if args.label_issues:
        from core.training.label_issues import find

        issues = find(report, args.seed)
    if args.json:
        print(json.dumps({**report.to_json(), **({"split": manifest.to_json()} if manifest else {}),
                          **({"label_issues": [vars(i) for i in issues]} if issues is not None else {})},
                         indent=1, ensure_ascii=False))
        return 0
    data = report.to_json()
    print(f"{data['root']}: {data['images']} images in {len(data['classes'])} classes "
          f"({data['seconds']} s; largest class / smallest = {data['imbalance']})")
    widest = max(data["counts"].values())
    for name, display in zip(found.classes, found.display_names["en"]):
        count = data["counts"][name]
        print(f"  {name:>12} {count:6} {'#' * round(40 * count / widest)}" + (f"  {display}" if display != name else ""))
    print(f"sizes: {data['sizes']}\nmodes: {data['modes']}")
    print(f"unreadable: {len(data['unreadable'])}; not images (ignored): {data['ignored_files']}")
    for item in data["unreadable"]:
        print(f"  {item['file']}: {item['why']}")
    print(f"copies of one photo: {data['duplicate_groups']} groups ({data['exact_groups']} byte-identical); "
          f"label conflicts (one photo under two classes): {len(data['conflicts'])}")
    for conflict in data["conflicts"]:
        print(f"  {' = '.join(conflict['files'])}")
    if manifest:
        counts = manifest.counts()
        print("leakage-free split (images): " + ", ".join(f"{s} {sum(counts[s].values())}" for s in counts)
              + f"; {len(manifest.left_out)} conflicting photos left out")
    if issues is not None:
        print(f"likely label errors (cleanlab, out-of-sample; {len(issues)}), most likely first:")
        for issue in issues[:args.label_issues]:
            print(f"  {issue.file}: filed {issue.label}, looks like {issue.suggested} "
                  f"(p(own label) = {issue.self_confidence:.2f})")
    return 0


def cmd_promote(args) -> int:
    from core.artifacts.shipped import promote

    print(promote(Path(args.run_dir)))
    return 0


def cmd_table(args) -> int:
    from core.artifacts.shipped import write_table

    print(write_table())
    return 0


def cmd_train_all(args) -> int:
    from core.training.retrain import train_all

    epochs = dict(item.split("=") for item in args.epochs.split(",")) if args.epochs else {}
    train_all({k: int(v) for k, v in epochs.items()}, base=args.base, data_dir=args.data, seed=args.seed)
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m core", description="ConvNet Classroom: chapter 5 from the command line")
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("recipes", help="list the chapter's configurations").set_defaults(func=cmd_recipes)
    s = sub.add_parser("summary", help="the book's model summary table")
    s.add_argument("recipe", choices=recipes.RECIPE_IDS)
    s.add_argument("--base", choices=recipes.BASES)
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_summary)
    sub.add_parser("summaries", help="rebuild the architecture page's tables (every recipe and base) "
                                     "from the Keras models").set_defaults(func=cmd_summaries)
    s = sub.add_parser("train", help="train a recipe into a run dir (runs/ by default)")
    s.add_argument("recipe", choices=recipes.RECIPE_IDS)
    s.add_argument("--base", choices=recipes.BASES, help=f"pretrained base (default {recipes.DEFAULT_BASE})")
    s.add_argument("--epochs", type=int, help="override the book's epoch count (recorded in the card)")
    s.add_argument("--data", help="data folder (default: $CONVNET_DATA, then ../shared/data)")
    s.add_argument("--out", type=Path, help="run dir (default runs/<recipe>-<time>)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--from", dest="start_from", type=Path, help="fine_tuning: the feature_extraction_augmented run to continue")
    s.add_argument("--resume", action="store_true", help="continue the killed run in --out from its last epoch")
    s.add_argument("--precision", choices=("float32", "mixed_bfloat16", "mixed_float16"),
                   help="Keras dtype policy (default: mixed_bfloat16 on a GPU, float32 on a CPU); "
                        "the backend is $KERAS_BACKEND (tensorflow, jax, torch)")
    s.add_argument("--split", choices=MODES, default="clean",
                   help="a labelled folder's split: clean (copies together, conflicts left out; the default); "
                        "copies (copies dealt apart, conflicts left out) and random (ignores both) only measure "
                        "how much a leaky split changes accuracy")
    s.set_defaults(func=cmd_train)
    s = sub.add_parser("export", help="re-export a finished run's model.keras to model.onnx (parity-checked, labelled)")
    s.add_argument("run_dir")
    s.set_defaults(func=cmd_export)
    s = sub.add_parser("label", help="write the data set's labels into existing model.onnx files (graph unchanged) "
                                     "and their new sha256 into card.json")
    s.add_argument("run_dirs", nargs="+", metavar="run_dir")
    s.set_defaults(func=cmd_label)
    s = sub.add_parser("predict", help="predict images with an exported model (JSON out)")
    s.add_argument("model_dir")
    s.add_argument("images", nargs="+")
    s.set_defaults(func=cmd_predict)
    s = sub.add_parser("explain", help="Grad-CAM of an image (book 5.4.3): the heatmap over it as a PNG "
                                       "(--json: the heatmap too)")
    s.add_argument("run_dir")
    s.add_argument("image")
    s.add_argument("--class", dest="class_name", help="the class to explain (default: the predicted one)")
    s.add_argument("--out", required=True, help="the overlay's PNG file")
    s.add_argument("--opacity", type=float, default=0.4, help="the heatmap's opacity (the book's 0.4)")
    s.add_argument("--json", action="store_true", help="print the heatmap (last conv layer's resolution, 0-1)")
    s.set_defaults(func=cmd_explain)
    s = sub.add_parser("patterns", help="filter patterns by gradient ascent (book 5.4.2) into a run dir "
                                        "(TensorFlow; a shipped model's weights are read back from model.onnx)")
    s.add_argument("run_dir")
    s.add_argument("--filters", type=int, default=16, help="the first N filters of each layer")
    s.add_argument("--tile", type=int, default=64, help="pixels a side of each stored tile (the pattern's centre)")
    s.add_argument("--seed", type=int, default=0)
    s.set_defaults(func=cmd_patterns)
    s = sub.add_parser("prepare-data", help="Listing 5.4: build the 1000/500/500 split from Kaggle's images")
    s.add_argument("source", help="Kaggle's train/ folder (cat.N.jpg, dog.N.jpg) or Microsoft's kagglecatsanddogs zip")
    s.add_argument("--out", required=True, help="where to write train/validation/test")
    s.set_defaults(func=cmd_prepare_data)
    s = sub.add_parser("check-data", help="the data check of a labelled folder: classes, sizes, unreadable files, "
                                          "copies and label conflicts")
    s.add_argument("path", help="a folder of class folders (with or without train/validation/test)")
    s.add_argument("--json", action="store_true")
    s.add_argument("--split", action="store_true", help="also deal a leakage-free train/validation/test split")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--label-issues", type=int, nargs="?", const=20, default=0, metavar="N",
                   help="also rank likely label errors with cleanlab (needs the pretrained base's features: "
                        "minutes, not seconds); print the N most likely (default 20)")
    s.set_defaults(func=cmd_check_data)
    s = sub.add_parser("samples", help="regenerate samples/: a few small photos per data set, from its own images")
    s.add_argument("--data", help="the data root (default: $CONVNET_DATA, then ../shared/data)")
    s.set_defaults(func=cmd_samples)
    s = sub.add_parser("promote", help="copy a finished run into trained/<recipe>/")
    s.add_argument("run_dir")
    s.set_defaults(func=cmd_promote)
    sub.add_parser("table", help="regenerate trained/README.md from the model cards").set_defaults(func=cmd_table)
    s = sub.add_parser("train-all", help="retrain every recipe and promote it into trained/")
    s.add_argument("--epochs", help="per-recipe overrides, e.g. scratch_augmented=40,fine_tuning=20")
    s.add_argument("--base", choices=recipes.BASES)
    s.add_argument("--data")
    s.add_argument("--seed", type=int, default=0)
    s.set_defaults(func=cmd_train_all)
    return p


def main(argv=None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except (KeyError, ValueError, FileNotFoundError, FileExistsError, PermissionError, RuntimeError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
