"""Home: the chapter's map, the trained models present, this machine. No TensorFlow here."""
import streamlit as st

from core import recipes
from core.artifacts.rundir import list_runs
from core.paths import TRAINED_DIR
from core.serving import system
from pages._i18n import t

st.title(t("home.title"))
st.markdown(t("home.intro"))

st.subheader(t("home.map"))
CHAPTER = [
    ("home.sec.5_1", "pages/convolution.py", "nav.convolution"),
    ("home.sec.5_1b", "pages/padding_stride.py", "nav.padding_stride"),
    ("home.sec.5_1c", "pages/pooling.py", "nav.pooling"),
    ("home.sec.5_1d", "pages/architecture.py", "nav.architecture"),
    ("home.sec.5_2", "pages/augmentation.py", "nav.augmentation"),
    ("home.sec.5_3", "pages/compare.py", "nav.compare"),
    ("home.sec.pred", "pages/predict.py", "nav.predict"),
    ("home.sec.train", "pages/train.py", "nav.train"),
]
for topic, page, title in CHAPTER:
    left, right = st.columns([3, 1])
    left.markdown(t(topic))
    right.page_link(page, label=t(title))

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
