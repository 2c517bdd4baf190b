"""Home: the chapter's map, the trained models present, this machine. No TensorFlow here."""
import streamlit as st

from core.artifacts.results import result_rows
from core.artifacts.rundir import list_runs
from core.paths import TRAINED_DIR
from core.serving import system
from pages._i18n import explain, t
from pages._registry import HOME, PAGES

st.title(t("home.title"))
st.markdown(t("home.intro"))

st.subheader(t("home.map"))
for page in PAGES:
    if page != HOME:
        left, right = st.columns([3, 1])
        left.markdown(t(f"{page.name}.topic"))
        right.page_link(page.path, label=t(f"{page.name}.nav"))

st.subheader(t("home.models"))
rows = result_rows(list_runs(TRAINED_DIR), every_recipe=False)
if not rows:
    st.info(t("home.none"))
else:
    st.dataframe([{
        t("home.col.model"): t(f"recipe.{row.recipe}"),
        t("home.col.status"): t("home.ok") if row.ok else t("home.unavailable"),
        t("home.col.accuracy"): row.accuracy,
        t("home.col.book"): row.book_accuracy,
        t("home.col.base"): row.base or "–",
        t("home.col.epochs"): row.epochs("⚠️"),
    } for row in rows], hide_index=True, width="stretch", column_config=dict.fromkeys(
        (t("home.col.accuracy"), t("home.col.book")), st.column_config.NumberColumn(format="percent")))
    for row in rows:  # the why in full (a table cell would cut it)
        if not row.ok:
            st.warning(t("home.unavailable_why", model=t(f"recipe.{row.recipe}"), reason=explain(row.problem)))

st.subheader(t("home.hardware"))
machine = system.describe()
cols = st.columns(4)
cols[0].metric(t("home.device"), machine["device"])
cols[1].metric(t("home.provider"), machine["provider"].replace("ExecutionProvider", ""))
cols[2].metric(t("home.cpu"), t("home.cores", n=machine["cores"]))
cols[3].metric(t("home.version"), machine["version"])
st.caption(machine["cpu"])
if not machine["opened"]:
    st.caption(t("home.provider_untried"))
st.caption(t("credit.data"))
