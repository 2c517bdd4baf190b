"""Evaluate: any data set's model on its test photos — the N×N confusion matrix, per-class
precision, recall and F1, top-1 and top-3 — and the photos behind any cell. Without the photos on
this machine, the model card's own matrix and numbers."""
import streamlit as st

from core.datasets import CATS_DOGS, MNIST
from core.serving import evaluate
from core.serving.inference import ModelUnavailable
from pages import _evaluation, _topk
from pages._i18n import t
from pages._results import display_names, label, load, models

SHOWN_PHOTOS = 24
st.title(t("evaluate.title"))
st.markdown(t("evaluate.intro"))

found = [CATS_DOGS.id, MNIST.id] + [d for d in _topk.photo_datasets() if d != CATS_DOGS.id]
dataset = st.segmented_control(t("evaluate.dataset"), found, default=CATS_DOGS.id, key="evaluate_dataset",
                               required=True, format_func=_topk.dataset_name)
shipped, own = models(dataset)
usable = {str(info.path): info for info in shipped + own if info.ok}
if not usable:
    st.info(t("evaluate.no_models"))
    st.stop()
names_of = {path: label(info) for path, info in usable.items()}
info = usable[st.selectbox(t("evaluate.model"), list(usable), format_func=names_of.get, key="evaluate_model")]
try:
    predictor = load(info)
except ModelUnavailable as error:
    st.warning(t("evaluate.unavailable", reason=str(error)))
    st.stop()
names = display_names(predictor.display_names)

photos = _evaluation.test_photos(info, predictor)
result = None
if photos and st.toggle(t("evaluate.run", n=len(photos)), key=f"evaluate_on_{dataset}"):
    bar = st.progress(0.0, text=t("evaluate.progress", done=0, total=len(photos)))
    try:
        result = _evaluation.judged(info, photos, lambda done, total: bar.progress(
            done / total, text=t("evaluate.progress", done=done, total=total)))
    finally:
        bar.empty()
if result is not None:
    confusion, numbers = result.confusion.tolist(), evaluate.scores(result.labels, result.probabilities)
    st.caption(t("evaluate.measured", n=result.total, skipped=len(result.skipped)))
else:  # the card's: measured where the model was trained
    confusion = info.card.confusion
    numbers = {**evaluate.per_class(confusion), **(info.card.metrics or {})}
    st.caption(t("evaluate.from_card" if photos is None else "evaluate.from_card_choose", n=info.card.test_size))
if not confusion:
    st.info(t("evaluate.no_matrix"))
    st.stop()

cells = st.columns(4)
cells[0].metric(t("evaluate.top1"), f"{numbers['top1']:.1%}", help=t("evaluate.top1_help"))
cells[1].metric(t("evaluate.top3"), f"{numbers['top3']:.1%}" if "top3" in numbers else "–",
                help=t("evaluate.top3_help"))
cells[2].metric(t("evaluate.macro_f1"), f"{numbers['macro_f1']:.2f}", help=t("evaluate.macro_f1_help"))
cells[3].metric(t("evaluate.classes"), len(names))

pairs = [(i, j) for i in range(len(names)) for j in range(len(names))]
worst = max((p for p in pairs if p[0] != p[1]), key=lambda p: confusion[p[0]][p[1]], default=(0, 0))
picker = {f"{i},{j}": t("evaluate.cell", truth=names[i], answer=names[j], n=confusion[i][j]) for i, j in pairs}
cell_key = f"evaluate_cell_{info.path}_{result is not None}"  # a new matrix, its own worst cell first
click = _evaluation.clicked("evaluate_matrix", len(names))
if click or cell_key not in st.session_state:
    st.session_state[cell_key] = "{},{}".format(*(click or worst))
truth, answer = (int(v) for v in st.session_state[cell_key].split(","))
st.plotly_chart(_evaluation.matrix_figure(confusion, names, (truth, answer)), theme=None, on_select="rerun",
                selection_mode="points", config={"displayModeBar": False}, key="evaluate_matrix")
left, right = st.columns(2, gap="medium")
with left:
    st.selectbox(t("evaluate.choose_cell"), list(picker), format_func=picker.get, key=cell_key,
                 help=t("evaluate.choose_cell_help"))
    if result is None:
        st.info(t("evaluate.photos_need_data"))
    elif shown := result.cell(truth, answer)[:SHOWN_PHOTOS]:
        st.image([str(path) for path in shown], width=120, caption=[path.name for path in shown])
    else:
        st.caption(t("evaluate.empty_cell"))
with right:
    column = {key: t(f"evaluate.col.{key}") for key in ("class", "precision", "recall", "f1", "photos")}
    st.dataframe([{column["class"]: name, column["precision"]: numbers["precision"][i],
                   column["recall"]: numbers["recall"][i], column["f1"]: numbers["f1"][i],
                   column["photos"]: int(sum(confusion[i]))} for i, name in enumerate(names)],
                 hide_index=True, height=min(36 * (len(names) + 1) + 4, 560),
                 column_config={column[k]: st.column_config.NumberColumn(format="%.2f")
                                for k in ("precision", "recall", "f1")})
    st.caption(t("evaluate.table_note"))
