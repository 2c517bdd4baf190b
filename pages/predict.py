"""Predict: a photo judged by every cat/dog model side by side, a drawn digit, the test set.

On a projector every model's verdict fits the first screen (1280x720) right after an upload:
the photo stays small on the left, the verdicts are one line each in the chapter's order, and
the numbers behind them (probabilities, latency, test accuracy, what the model sees) wait in an
expander below."""
import streamlit as st
from PIL import Image

from core.data.folders import DataFolderError, cats_dogs_root
from core.data.images import MAX_FILE_MB, ORIENTATION_FIXED, ORIGINAL_SIZE, BadImage, open_image, prepare_image
from core.datasets import CATS_DOGS
from core.explainers import digits
from core.serving import inference
from core.serving.inference import ModelUnavailable
from pages import _canvas, _samples, _topk, _why
from pages._i18n import explain, t
from pages._inputs import PHOTO, dropzone_limit
from pages._results import display_names, evaluation, label, load, models

WARM_AFTER_S = 0.5  # after the paint (0.25-0.45 s on two cores); picking a photo takes longer
PHOTO_TYPES = ["jpg", "jpeg", "png", "webp", "bmp", "gif", "tif", "tiff"]


def chosen(dataset: str, key: str) -> list:
    """Every shipped model of a dataset (in the chapter's order), plus the user's finished runs
    they pick."""
    shipped, own = models(dataset)
    runs = {str(info.path): info for info in own}
    names = {path: label(info) for path, info in runs.items()}  # format_funcs get plain lookups
    picked = st.multiselect(t("predict.runs"), list(runs), default=list(runs)[:1], key=key, bind="query-params",
                            format_func=names.get) if runs else []
    if not shipped and not runs:
        st.info(t("predict.no_models"))
    return shipped + [runs[path] for path in picked]


def read(upload) -> Image.Image | None:
    """Decode an upload, or say (translated) why it cannot be used."""
    try:
        return open_image(upload, fit=(PHOTO, PHOTO))  # every recipe's input (150 px) fits in it too
    except BadImage as error:
        st.error(t(f"predict.bad.{error.code}", mb=MAX_FILE_MB))
        return None


def verdict(prediction, names: list[str]) -> None:
    from pages._charts import probability_bars  # pandas loads with the digit tab's chart, not the photo tab's

    st.markdown(f"### {names[prediction.labels.index(prediction.label)]} · {prediction.confidence:.1%}")
    st.plotly_chart(probability_bars(prediction.labels, prediction.probabilities, names),
                    config={"staticPlot": True}, theme=None)


def verdict_row(info, image: Image.Image, key: str):
    """One model's line: its name, then its answer and probability in the large type a
    projector needs. Returns (model, prediction), or None when the model is unavailable (the
    line says why)."""
    with st.container(key=key):
        name, answer, why = st.columns([3, 2, 1], vertical_alignment="center")
        name.markdown(f"**{label(info)}**", text_alignment="right")  # beside its answer
        try:
            model = load(info)
        except ModelUnavailable as error:
            answer.warning(t("predict.unavailable", reason=explain(error)))
            return None
        prediction = model.predict(image)
        names = display_names(model.display_names)
        answer.markdown(f"### {names[prediction.labels.index(prediction.label)]} · {prediction.confidence:.1%}",
                        anchors=False)
        _why.switch(why, info, image, key)  # its Grad-CAM (5.4.3), below the line
        return model, prediction


def details(judged: list, image: Image.Image) -> None:
    """The numbers behind the verdicts, one click away: every label's probability, latency on
    its provider and test accuracy per model (a table that wraps rather than scrolls sideways
    in the narrow column), and the photo as the models see it."""
    model_col, latency, accuracy = (t(f"predict.col.{c}") for c in ("model", "latency", "accuracy"))
    rows = [{model_col: label(info),
             **{name: f"{p:.1%}" for name, p in zip(display_names(model.display_names), prediction.probabilities)},
             latency: t("predict.latency", ms=prediction.latency_ms, provider=model.provider.replace("ExecutionProvider", "")),
             accuracy: f"{model.card.test_accuracy:.1%}"}
            for info, model, prediction in judged]
    with st.expander(t("predict.details")):
        st.table(rows, hide_index=True)
        size = judged[0][1].size
        st.image(prepare_image(image, size).astype("uint8"), width=PHOTO, caption=t("predict.sees", w=size[1], h=size[0]))


st.title(t("predict.title"))
st.markdown(t("predict.intro"))
photo_tab, digit_tab, batch_tab = st.tabs([t("predict.tab.photo"), t("predict.tab.digit"), t("predict.tab.batch")],
                                           key="predict_tab", bind="query-params")

with photo_tab:
    dataset = _topk.choose_dataset()  # cats and dogs unless another data set's models are chosen
    controls, board = st.columns([1, 2], gap="large")
    with board:
        verdicts = st.container()  # above the list of own runs, which may grow
        photo_models = chosen(dataset, "photo_runs" if dataset == CATS_DOGS.id else f"photo_runs_{dataset}")
    # sessions open (once per server) once the page has painted, while the student picks a photo: opened
    # at once, they took the two cores from the browser's paint (python -m bench startup); a model that
    # cannot be served: verdict_row() shows why, beside the other models
    inference.warm([info.path for info in photo_models if info.ok], after_s=WARM_AFTER_S)
    with controls:
        camera = st.toggle(t("predict.camera"), key="use_camera", bind="query-params")
        upload = (st.camera_input(t("predict.camera_label")) if camera
                  else st.file_uploader(t("predict.upload", mb=MAX_FILE_MB), type=PHOTO_TYPES, key="photo"))
        dropzone_limit()  # our limit, translated, where Streamlit's dropzone says 200MB
        image = read(upload) if upload else _samples.pick([dataset], "photo_sample")
        if image is not None:
            turned = image.info[ORIENTATION_FIXED]  # only then does the caption say so
            st.image(image, width=PHOTO, caption=t("predict.original_turned" if turned else "predict.original",
                                                   w=image.info[ORIGINAL_SIZE][0], h=image.info[ORIGINAL_SIZE][1]))
    with verdicts:
        if image is None and photo_models:
            st.info(t("predict.waiting"))
        elif image is not None and dataset != CATS_DOGS.id:
            _topk.verdicts(photo_models, image)
        elif image is not None:
            rows = [(info, verdict_row(info, image, f"verdict_{i}")) for i, info in enumerate(photo_models)]
            judged = [(info, *row) for info, row in rows if row]
            if judged:
                details(judged, image)

if digit_tab.open:  # only the chosen tab runs (key + bind track it): its component and models load when asked
    with digit_tab:
        digit_models = chosen("mnist", "digit_runs")
        for info in (info for info in digit_models if not info.ok):
            st.warning(t("predict.unavailable", reason=f"{label(info)}: {explain(info.problem)}"))
        ready = [info for info in digit_models if info.ok]
        if ready:
            names = {str(i.path): label(i) for i in ready}
            picked = st.selectbox(t("predict.digit.model"), list(names), format_func=names.get, key="digit_model",
                                  bind="query-params") if len(ready) > 1 else None
            info = next((i for i in ready if str(i.path) == picked), ready[0])
            left, right = st.columns(2)
            with left:
                drawn = None
                how = {key: t(f"predict.digit.{key}") for key in ("draw", "upload")}
                if st.segmented_control(t("predict.digit.how"), list(how), default="draw", key="digit_how",
                                        required=True, format_func=how.get, bind="query-params") == "upload":
                    digit_upload = st.file_uploader(t("predict.digit.upload_label", mb=MAX_FILE_MB), type=PHOTO_TYPES,
                                                    key="digit_file")
                    digit_image = read(digit_upload) if digit_upload else _samples.pick(["mnist"], "digit_sample")
                    drawn = digits.to_mnist(digit_image) if digit_image is not None else None
                else:
                    try:
                        drawn = digits.from_canvas(_canvas.draw("digit_canvas"))
                    except ImportError:
                        st.info(t("predict.digit.no_canvas"))
            with right:
                if drawn is None:
                    st.info(t("predict.digit.empty"))
                else:
                    st.image(drawn.resize((140, 140), Image.Resampling.NEAREST), caption=t("predict.digit.sees"))
                    model = load(info)
                    verdict(model.predict(drawn), display_names(model.display_names))

if batch_tab.open:  # only the chosen tab runs (key + bind track it): its component and models load when asked
    with batch_tab:
        st.markdown(t("predict.batch.intro"))
        try:
            root = cats_dogs_root()
        except DataFolderError as error:
            root = None
            st.info(t("predict.batch.no_data", reason=explain(error)))
        ready = [info for info in photo_models if info.ok and info.dataset == CATS_DOGS.id]
        if root and ready and st.button(t("predict.batch.run"), type="primary", key="batch_run"):
            st.session_state["batch_on"] = True
        if root and ready and st.session_state.get("batch_on"):
            for info in ready:
                st.subheader(label(info))
                bar = st.progress(0.0, text=t("predict.batch.progress", done=0, total="…"))
                try:  # computed once per model version, then shared: the bar only shows the first time
                    result = evaluation(info, root, lambda done, total: bar.progress(
                        done / total, text=t("predict.batch.progress", done=done, total=total)))
                except ModelUnavailable as error:
                    st.warning(t("predict.unavailable", reason=explain(error)))
                    continue
                finally:
                    bar.empty()
                from pages._charts import confusion_figure  # pandas loads with the test set's chart

                names = display_names(load(info).display_names)
                matrix, gallery = st.columns([1, 2])
                matrix.metric(t("predict.batch.accuracy"), f"{result.accuracy:.1%}",
                              help=t("predict.batch.count", n=result.total))
                matrix.plotly_chart(confusion_figure(result.confusion, names), config={"staticPlot": True}, theme=None)
                gallery.markdown(t("predict.batch.mistakes", n=len(result.mistakes)))
                shown = result.mistakes[:12]
                gallery.image([str(m.path) for m in shown], width=150, caption=[
                    t("predict.batch.mistake", truth=names[m.label], said=names[1 - m.label],
                      p=m.probabilities[1 - m.label]) for m in shown])
