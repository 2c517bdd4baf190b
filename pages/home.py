"""Home: the chapter's map, the trained models present, this machine. No TensorFlow here.

The first page a class sees paints in the order it reads: the title and the map need only
Streamlit, so the heavier imports wait below them (the models table, then onnxruntime
for the hardware section, last: python -m bench startup)."""
import streamlit as st

from pages._i18n import explain, t
from pages._registry import HOME, PAGES


def percent(value: float | None) -> str:
    """An accuracy as Compare shows it; "–" where there is none (Streamlit would write "None")."""
    return "–" if value is None else f"{value:.1%}"


def markdown_table(rows: list[dict]) -> str:
    """Rows as a Markdown table: a handful of rows needs no data-frame grid, whose pandas import
    and browser code cost Home's first paint a second (python -m bench startup)."""
    def cell(value) -> str:
        return str(value).replace("|", "\\|")

    lines = ["| " + " | ".join(map(cell, rows[0])) + " |", "|" + "---|" * len(rows[0])]
    return "\n".join(lines + ["| " + " | ".join(map(cell, row.values())) + " |" for row in rows])


st.title(t("home.title"))
st.markdown(t("home.intro"))

st.subheader(t("home.map"))
for page in PAGES:
    if page != HOME:
        left, right = st.columns([3, 1])
        left.markdown(t(f"{page.name}.topic"))
        right.page_link(page.path, label=t(f"{page.name}.nav"))

st.subheader(t("home.models"))
from core.artifacts.results import result_rows  # noqa: E402  (after the map is on screen)
from core.artifacts.rundir import list_runs  # noqa: E402
from core.datasets import CHAPTER  # noqa: E402
from core.paths import TRAINED_DIR  # noqa: E402

rows = result_rows(list_runs(TRAINED_DIR), every_recipe=False)
if not rows:
    st.info(t("home.none"))
else:
    st.markdown(markdown_table([{
        t("home.col.model"): t(f"recipe.{row.recipe}") + ("" if row.dataset in CHAPTER else f" · {row.dataset}"),
        t("home.col.status"): t("home.ok") if row.ok else t("home.unavailable"),
        t("home.col.accuracy"): percent(row.accuracy),
        t("home.col.book"): percent(row.book_accuracy),
        t("home.col.base"): row.base or "–",
        t("home.col.epochs"): row.epochs("⚠️"),
    } for row in rows]))
    for row in rows:  # the why in full (a table cell would cut it)
        if not row.ok:
            st.warning(t("home.unavailable_why", model=t(f"recipe.{row.recipe}"), reason=explain(row.problem)))

st.subheader(t("home.hardware"))
from core.serving import system  # noqa: E402  (onnxruntime, where a GPU provider is installed: last)

machine = system.describe()
cols = st.columns(4)
cols[0].metric(t("home.device"), machine["device"])
cols[1].metric(t("home.provider"), machine["provider"].replace("ExecutionProvider", ""))
cols[2].metric(t("home.cpu"), t("home.cores", n=machine["cores"]))
cols[3].metric(t("home.version"), machine["version"])
st.caption(machine["cpu"])
if not machine["known"]:
    st.caption(t("home.provider_untried"))
st.caption(t("credit.data"))
