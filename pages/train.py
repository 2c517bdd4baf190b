"""Train live: start a recipe in a background process and watch its curves grow, epoch by epoch.

The page only starts, cancels and reads: training runs in `core.training.launcher`'s process group and
reports through the run's log.jsonl, so reruns, other users and closed tabs never disturb it.
"""
from pathlib import Path

import streamlit as st

from core import recipes
from core.artifacts import rundir
from core.artifacts.log import Phase
from core.data import folders, labelled
from core.explainers.curves import Curves
from core.paths import runs_dir
from core.training import bases as pretrained
from core.training import launcher
from core.training.launcher import State
from pages import _datasets
from pages import _passcode as passcode
from pages._busy import running_note
from pages._i18n import explain, t
from pages._results import forget_runs

POLL_SECONDS = 1.5

st.title(t("train.title"))
st.markdown(t("train.intro"))
running = launcher.current()
passcode.sidebar()

names = {recipe_id: t(f"recipe.{recipe_id}") for recipe_id in recipes.RECIPE_IDS}
pick, count, choice = st.columns([2, 1, 1])
recipe = recipes.get(pick.selectbox(t("train.recipe"), list(names), format_func=names.get, key="train_recipe",
                                             bind="query-params"))
epochs = count.number_input(t("train.epochs"), 1, 500, 1 if recipe.dataset == "mnist" else min(recipe.epochs, 5),
                            key=f"train_epochs_{recipe.id}", help=t("train.epochs_help", n=recipe.epochs),
                            bind="query-params")
base, source = None, None
if recipe.starts_from:  # fine-tuning continues a trained run, with that run's base
    sources = {str(info.path): info for info in rundir.sources_for(recipe.id)}
    if sources:
        labels = {path: f"{info.name} · {info.card.base} · {info.card.test_accuracy:.1%}"
                  for path, info in sources.items()}
        source = sources[choice.selectbox(t("train.source"), list(sources), format_func=labels.get, key="train_from",
                                                 bind="query-params")]
        base = source.card.base
    else:
        st.warning(t("train.needs_source", parent=names[recipe.starts_from]))
elif recipe.pretrained:
    bases = list(recipes.BASES)
    base = choice.selectbox(t("train.base"), bases, index=bases.index(recipes.DEFAULT_BASE),
                            key="train_base", help=t("train.base_help"), bind="query-params")
    weights = pretrained.missing_weights(base)
    if weights:
        st.caption(t("train.base_download", base=base, path=weights))
st.caption(t("train.book", listings=recipe.listings, n=recipe.epochs))

dataset = t(f"train.dataset.{recipe.dataset}")
# a cats/dogs recipe may train on a labelled folder instead (own), checked on screen first
own, waiting = _datasets.choose() if recipe.data.layout == "folders" else (None, False)
try:  # asked before starting: a run without its data would only fail (MNIST after a 15 s download try)
    if waiting or own:
        found = own if own and _datasets.report(labelled.scan(own)) else None
    else:
        found = folders.locate(recipe.data)
        st.caption(t("train.data.found", dataset=dataset, path=found))
except folders.DataFolderError as missing:
    found = None
    if own:
        st.error(explain(missing))
    else:
        with st.container(border=True):
            st.warning(t("train.data.missing", dataset=dataset, reason=explain(missing)))
            st.markdown(t(f"train.data.get.{recipe.dataset}", place=folders.places(recipe.data)[0]))

blocked = bool(running) or (recipe.starts_from is not None and source is None) or found is None \
    or not _datasets.source_fits(source, own)
passcode.note(t("passcode.locked"))
if st.button(t("train.start"), type="primary", disabled=blocked, key="train_start",
             help=t("train.start_no_data", dataset=dataset) if found is None else None) and passcode.allowed():
    try:
        run = launcher.start(recipe.id, int(epochs), base=base, start_from=source.path if source else None, data=own)
        st.session_state["train_run"] = str(run)
        st.rerun()
    except launcher.Busy as busy:
        st.error(t("train.busy", run=busy.run.name))
if running:
    st.info(running_note(running))  # which recipe, since when, its estimated end


@st.fragment(run_every=POLL_SECONDS if running else None)
def live(run: Path) -> None:
    """The run as its log tells it, redrawn every POLL_SECONDS while it trains."""
    held = launcher.current()
    is_live = bool(held) and held["run"] == str(run)
    status = launcher.status(run, running=is_live)
    top, stop = st.columns([4, 1])
    recipe_id = status.recipe or (held["recipe"] if is_live else None)  # the lock knows it before the log
    top.subheader(f"{names.get(recipe_id, run.name)} · {t(f'train.state.{status.state}')}")
    top.caption(launcher.shown_path(run))
    if is_live and status.state != State.DONE and stop.button(t("train.cancel"), key="train_cancel") \
            and passcode.allowed():
        with st.spinner(t("train.cancelling")):
            launcher.cancel()
        st.rerun()
    if status.state in (State.STARTING, State.RUNNING):
        within = 1.0 if status.epochs and status.epoch >= status.epochs else (
            status.batch / status.steps if status.steps and status.phase == Phase.TRAIN else 0.0)
        phase = t(f"train.phase.{status.phase or 'start'}")
        if status.phase == Phase.TRAIN and status.steps:
            phase += " · " + t("train.batch", batch=status.batch, steps=status.steps)
        st.progress(within, text=t("train.progress", epoch=min(status.epoch + 1, status.epochs or 1),
                                   epochs=status.epochs or "…", phase=phase))
    if status.history:
        from pages._charts import curves_figure  # pandas loads with a run's first curves, not with the page

        curves = [Curves(run.name, status.recipe or "", "run", status.history)]
        for column, metric in zip(st.columns(2), ("accuracy", "loss")):
            column.plotly_chart(curves_figure(curves, metric, height=460), key=f"live_{metric}", theme=None)
    if status.state == State.DONE:
        forget_runs()
        st.success(t("train.done", accuracy=status.test_accuracy))
        st.markdown(t("train.promote"))
        st.code(launcher.promote_command(run), language="bash")
    elif status.state == State.CANCELLED:
        resume = launcher.resume_command(run)  # None until an epoch finished
        st.warning(t("train.cancelled") if resume else t("train.cancelled_early"))
        if resume:
            st.code(resume, language="bash")
    elif status.state in (State.ERROR, State.STOPPED):
        failed = status.state == State.ERROR  # stopped: the process ended without a last word
        st.error(t("train.failed", message=explain(status.message)) if failed else t("train.no_message"))
        with st.expander(t("train.output")):  # the English and the traceback, for whoever fixes it
            if failed:
                st.code(status.message, language=None, wrap_lines=True)
            st.code(launcher.output_tail(run) or "–", language=None, wrap_lines=True)
    elif status.message:
        st.caption(t("train.warning", message=explain(status.message)))
    if running and not is_live:  # it just ended: one full rerun stops the polling
        st.rerun()


shown = running["run"] if running else st.session_state.get("train_run")
if shown:
    live(Path(shown))
elif not blocked:  # a blocked Start has said why above
    st.info(t("train.nothing_yet"))
st.caption(t("train.where", runs=launcher.shown_path(runs_dir())))
