"""Home: the chapter's map, the trained models present, this machine. No TensorFlow here."""
import streamlit as st

from core.artifacts.results import result_rows
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
rows = result_rows(list_runs(TRAINED_DIR), every_recipe=False)
if not rows:
    st.info(t("home.none"))
else:
    st.dataframe([{
        t("home.col.model"): t(f"recipe.{row.recipe}"),
        t("home.col.status"): t("home.ok") if row.ok else t("home.unavailable", reason=row.problem),
        t("home.col.accuracy"): row.accuracy,
        t("home.col.book"): row.book_accuracy,
        t("home.col.base"): row.base or "–",
        t("home.col.epochs"): row.epochs("⚠️"),
    } for row in rows], hide_index=True, width="stretch", column_config=dict.fromkeys(
        (t("home.col.accuracy"), t("home.col.book")), st.column_config.NumberColumn(format="percent")))

st.subheader(t("home.hardware"))
machine = system.describe()
cols = st.columns(4)
cols[0].metric(t("home.device"), machine["device"])
cols[1].metric(t("home.provider"), machine["provider"].replace("ExecutionProvider", ""))
cols[2].metric(t("home.cpu"), f"{machine['cores']} cores")
cols[3].metric(t("home.version"), machine["version"])
st.caption(machine["cpu"])
st.caption(t("credit.data"))
