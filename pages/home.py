"""Home: the chapter's map, the trained models present, this machine. No TensorFlow here."""
import streamlit as st

from core import recipes
from core.artifacts.rundir import list_runs
from core.paths import TRAINED_DIR
from core.serving import system
from pages._i18n import t
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
runs = {info.recipe: info for info in list_runs(TRAINED_DIR)}
if not runs:
    st.info(t("home.none"))
else:
    rows = []
    for recipe_id in recipes.RECIPE_IDS:
        info = runs.get(recipe_id)
        if info is None:
            continue
        card = info.card
        rows.append({
            t("home.col.model"): t(f"recipe.{recipe_id}"),
            t("home.col.status"): t("home.ok") if info.ok else t("home.unavailable", reason=info.problem),
            t("home.col.accuracy"): card.get("test_accuracy") if info.ok else None,
            t("home.col.book"): card.get("book_test_accuracy"),
            t("home.col.base"): card.get("base") or "–",
            t("home.col.epochs"): f"{card.get('epochs')} ({card.get('epochs_planned')})" if info.ok else "",
        })
    st.dataframe(rows, hide_index=True, width="stretch")

st.subheader(t("home.hardware"))
machine = system.describe()
cols = st.columns(4)
cols[0].metric(t("home.device"), machine["device"])
cols[1].metric(t("home.provider"), machine["provider"].replace("ExecutionProvider", ""))
cols[2].metric(t("home.cpu"), f"{machine['cores']} cores")
cols[3].metric(t("home.version"), machine["version"])
st.caption(machine["cpu"])
st.caption(t("credit.data"))
