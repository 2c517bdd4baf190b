"""Compare strategies: learning curves of any runs beside the book's, the chapter's story step
by step, and the results table from the model cards."""
import streamlit as st

from core import recipes
from core.artifacts.leak import leak_lesson
from core.artifacts.results import ResultRow, result_rows
from core.artifacts.rundir import load_reference
from core.datasets import CATS_DOGS
from core.explainers import curves
from core.explainers.story import BOOK_BASE, STORY, Facts, Step
from pages import _share as share
from pages import _topk
from pages._charts import curves_figure
from pages._i18n import explain, t
from pages._results import label

st.title(t("compare.title"))
st.markdown(t("compare.intro"))

group = _topk.choose_dataset("compare_dataset")  # the chapter's runs, or another data set's
shipped, own = _topk.runs_of(group)
SETS: dict[str, curves.Curves] = {}  # every curve set the page can draw, by a stable key
for kind, infos in (("shipped", shipped), ("run", own)):
    for info in infos:
        if info.ok:
            SETS[f"{kind}:{info.name}"] = curves.Curves(label(info), info.recipe, kind, info.history,
                                                        test_accuracy=info.card.test_accuracy)
for recipe_id in recipes.RECIPE_IDS if group == CATS_DOGS.id else ():  # the book trained on its own data only
    reference = load_reference(recipe_id)
    if reference:
        SETS[f"book:{recipe_id}"] = curves.Curves(t("results.book_run", recipe=t(f"recipe.{recipe_id}")), recipe_id,
                                                  "book", reference["history"], source=reference["source"],
                                                  test_accuracy=reference["test_accuracy"])
SHIPPED_BASES = {info.recipe: info.card.base for info in shipped if info.ok}  # the shipped models' pretrained bases


def charts(where: str, keys: list[str], metrics=("accuracy", "loss"), grid: bool = False) -> None:
    """The smoothing controls, the chosen curve sets below them, one chart per metric, and the
    book's credit when it is shown. The controls sit right above the charts they change (in the
    sidebar, at 1280 x 720, the menu pushed them out of sight)."""
    methods = {method: t(f"compare.smoothing.{method}") for method in curves.SMOOTHING}
    left, right = st.columns(2)
    smoothing = left.selectbox(t("compare.smoothing"), list(methods), key=f"{where}_smoothing", format_func=methods.get,
                                bind="query-params")
    factor = right.slider(t("compare.factor"), 0.0, 0.95, curves.BOOK_FACTOR, 0.05, disabled=smoothing == "none",
                          key=f"{where}_factor", help=t("compare.factor_help"), bind="query-params")
    sets = [SETS[key] for key in keys]
    places = [st.container() for _ in metrics] if grid else st.columns(len(metrics))  # panels need the width
    for place, metric in zip(places, metrics):
        place.plotly_chart(curves_figure(sets, metric, smoothing, factor, grid=grid), key=f"{where}_{metric}",
                            theme=None)
    if any(c.kind == "book" for c in sets):
        st.caption(t("compare.credit"))
    st.caption(t("compare.legend"))


def facts(step: Step, kind: str) -> Facts | None:
    """The numbers a step's lesson quotes about the book's runs or ours; None while one is missing."""
    runs = {recipe: curves.summary(SETS[key]) for recipe in step.recipes if (key := f"{kind}:{recipe}") in SETS}
    return Facts(runs, step) if len(runs) == len(step.recipes) and all(runs.values()) else None


def differences(step: Step, book: Facts, ours: Facts) -> list[str]:
    """Why our numbers differ from the book's, where they can: another pretrained base, fewer or
    more epochs."""
    said = [t("compare.story.differs.base", base=t(f"compare.base.{base}"))
            for base in sorted({SHIPPED_BASES.get(recipe) for recipe in step.recipes} - {None, BOOK_BASE})]
    return said + [t("compare.story.differs.epochs", recipe=t(f"recipe.{recipe}"), ours=ours[recipe].epochs,
                     book=book[recipe].epochs) for recipe in step.recipes if ours[recipe].epochs != book[recipe].epochs]


def table_row(row: ResultRow) -> dict:
    """A shipped model or a run against the book's number; or a recipe not trained here."""
    if row.ok:
        model, epochs = label(row.run), row.epochs("⚠️")
    elif row.run:
        model, epochs = label(row.run), t("compare.unavailable", reason=explain(row.problem))
    else:
        model, epochs = t(f"recipe.{row.recipe}"), t("compare.not_trained")
    return {
        t("compare.col.model"): model,
        t("compare.col.accuracy"): row.accuracy,
        t("compare.col.book"): row.book_accuracy,
        t("compare.col.epochs"): epochs,
        t("compare.col.base"): t(f"compare.base.{row.base}") if row.base else "–",
        t("compare.col.time"): t("compare.minutes", minutes=row.minutes) if row.ok else "",
        t("compare.col.hardware"): row.hardware,
    }


story_tab, runs_tab, table_tab = st.tabs([t("compare.tab.story"), t("compare.tab.runs"), t("compare.tab.table")],
                                          key="compare_tab", bind="query-params")
# only the chosen tab runs (key + bind track it): a visit or a slider move makes two figures, not four and a table
if story_tab.open:
    with story_tab:
        steps = {step.key: f"{n} · {t(f'compare.story.{step.key}.short')}" for n, step in enumerate(STORY, 1)}
        chosen_step = share.choice(t("compare.story.step"), list(steps), default=STORY[0].key, key="story_step",
                                   format_func=steps.get)
        step = next(s for s in STORY if s.key == chosen_step)
        st.subheader(t(f"compare.story.{step.key}.title"))
        book, ours = facts(step, "book"), facts(step, "shipped")
        if book:
            st.markdown(t(f"compare.story.{step.key}.lesson", book=book))
        if book and ours:
            st.markdown("\n\n".join([t(f"compare.story.{step.key}.ours", book=book, ours=ours),
                                      *differences(step, book, ours)]))
        else:
            missing = [t(f"recipe.{recipe}") for recipe in step.recipes if f"shipped:{recipe}" not in SETS]
            st.info(t("compare.story.book_only", recipes=t("compare.list_separator").join(missing)))
        keys = [key for recipe_id in step.recipes for key in (f"shipped:{recipe_id}", f"book:{recipe_id}")
                if key in SETS]
        if keys:
            charts("story", keys, (step.metric, "loss" if step.metric == "accuracy" else "accuracy"))

if runs_tab.open:
    with runs_tab:
        default = [k for k in ("shipped:scratch", "shipped:scratch_augmented", "book:scratch", "book:scratch_augmented")
                   if k in SETS] if group == CATS_DOGS.id else [k for k in SETS if k.startswith("shipped:")]
        key = "compare_sets" if group == CATS_DOGS.id else f"compare_sets_{group}"  # each group keeps its choice
        chosen = st.multiselect(t("compare.choose"), list(SETS), default=default, key=key, bind="query-params",
                                format_func={key: c.label for key, c in SETS.items()}.get)
        grid = st.toggle(t("compare.grid"), key="compare_grid", bind="query-params")
        if chosen:
            charts("runs", chosen, grid=grid)
        else:
            st.info(t("compare.none_chosen"))

if table_tab.open:
    with table_tab:
        rows = [table_row(row) for row in result_rows(shipped + own)]
        percent = st.column_config.NumberColumn(format="percent")
        st.dataframe(rows, hide_index=True,
                     column_config={t("compare.col.accuracy"): percent, t("compare.col.book"): percent})
        st.caption(t("compare.table_note"))
        if lesson := leak_lesson():  # bench/leak.py: what a random split would have claimed
            lesson["recipe"] = t(f"recipe.{lesson['recipe']}")
            parts = " " + t("compare.leak_parts", **lesson) if "copies" in lesson else ""
            st.info(t("compare.leak", **lesson) + parts)
