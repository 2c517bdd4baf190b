"""The data a cats/dogs recipe trains on, for Train live: the book's photos, any labelled folder
under the data root, or a zip of class folders uploaded here (core.data.unpack); and the data
check's report (core.data.check) of the chosen folder, before anything trains."""
from __future__ import annotations

from pathlib import Path

import streamlit as st

from core.data import check, folders, labelled, manifest, unpack
from core.datasets import CATS_DOGS
from pages import _passcode as passcode
from pages import _theme as theme
from pages._i18n import explain, language, t

BOOK = "book"  # the selector's key for the chapter's own cats/dogs photos
UPLOAD = "upload"  # ... for a zip uploaded here
SHOWN_GROUPS = 6  # conflicts and copies shown as thumbnails; the rest are counted
THUMB = 120  # px


def upload_allowed() -> bool:
    """Whether this visitor may upload a data set onto the server: the teacher (or anyone, where
    no passcode is set); core.data.unpack applies the quota."""
    return passcode.unlocked()


@st.cache_data(ttl=10, show_spinner=False)
def _found(root: str | None) -> list[labelled.Scan]:
    return labelled.data_sets(Path(root) if root else None)


@st.cache_resource(show_spinner=False, max_entries=8)
def _check(root: str, images: int) -> check.Report:
    """Once per folder and image count, shared by every user (CCSN takes some seconds)."""
    return check.check(root)


def _unpacked(upload) -> None:
    """Unpack the uploaded zip into the data root and choose it; or say why not (nothing changed)."""
    try:
        done = unpack.unpack(upload, upload.name, folders.data_root() or folders.SHARED_DATA)
    except folders.DataFolderError as refused:
        st.error(explain(refused))
        return
    _found.clear()
    st.session_state["train_data_next"] = str(done.found.root)  # the selector exists already: chosen on the rerun
    st.session_state["train_unpacked"] = (done.found.root.name, done.skipped)
    st.rerun()


def choose() -> tuple[Path | None, bool]:
    """The data a cats/dogs recipe trains on: (None for the book's photos, else a labelled folder;
    whether an upload is still awaited)."""
    root = folders.data_root()
    sets = {str(found.root): found for found in _found(str(root) if root else None)}
    options = {BOOK: t("datasets.book"), **{path: t("datasets.folder", name=found.root.name, classes=len(found.classes),
                                                       images=found.images) for path, found in sets.items()}}
    if upload_allowed():
        options[UPLOAD] = t("datasets.upload_option")
    if "train_data_next" in st.session_state:
        st.session_state["train_data"] = st.session_state.pop("train_data_next")
    if st.session_state.get("train_data") not in options:
        st.session_state.pop("train_data", None)
    picked = st.selectbox(t("datasets.choose"), list(options), format_func=options.get, key="train_data",
                          help=t("datasets.choose_help", root=root or folders.SHARED_DATA))
    if "train_unpacked" in st.session_state:
        name, skipped = st.session_state.pop("train_unpacked")
        st.success(t("datasets.unpacked", name=name, skipped=skipped))
    if picked == UPLOAD:
        st.markdown(t("datasets.upload_how"))
        upload = st.file_uploader(t("datasets.upload"), type=["zip"], key="train_zip")
        if upload is not None:
            with st.spinner(t("datasets.unpacking")):
                _unpacked(upload)
        return None, True
    return (None if picked == BOOK else Path(picked)), False


def report(found: labelled.Scan) -> bool:
    """The data check of a labelled folder on screen; whether it can be split and trained on."""
    with st.spinner(t("datasets.checking", images=found.images)):
        result = _check(str(found.root), found.images)
    names = dict(zip(found.classes, found.display_names.get(language(), found.classes)))
    with st.container(border=True):
        st.markdown(t("datasets.report", name=found.root.name, path=found.root))
        cells = st.columns(5)
        numbers = (("images", sum(result.counts.values())), ("classes", len(result.classes)),
                   ("imbalance", f"{result.imbalance:.1f}×"), ("unreadable", len(result.unreadable)),
                   ("ignored", len(result.ignored)))
        for cell, (key, value) in zip(cells, numbers):
            cell.metric(t(f"datasets.metric.{key}"), value, help=t(f"datasets.metric.{key}_help"))
        st.plotly_chart(_counts_figure(result, names), config={"staticPlot": True}, theme=None, key="datasets_counts")
        conflicts, copies = result.conflicts, [g for g in result.groups if len({p.label for p in g}) == 1]
        st.markdown(t("datasets.copies", groups=len(result.groups), exact=len(result.exact),
                      conflicts=len(conflicts)))
        for title, groups in (("datasets.conflicts", conflicts), ("datasets.same_class", copies)):
            if groups:
                with st.expander(t(title, n=len(groups)), expanded=title == "datasets.conflicts"):
                    for group in groups[:SHOWN_GROUPS]:
                        st.image([str(p.path) for p in group], width=THUMB,
                                 caption=[f"{names.get(p.label, p.label)} · {p.path.name}" for p in group])
                    if len(groups) > SHOWN_GROUPS:
                        st.caption(t("datasets.more", n=len(groups) - SHOWN_GROUPS))
        try:
            counts = manifest.split(result, splits=found.splits).counts()
        except folders.DataFolderError as too_small:
            st.error(explain(too_small))
            return False
        st.caption(t("datasets.split", **{side: sum(counts[side].values()) for side in folders.SPLITS},
                     left_out=sum(len(g) for g in conflicts)))
    return True


def _counts_figure(result: check.Report, names: dict[str, str]):
    """Images per class, one bar each: the imbalance shows at a glance. pages/_plotly.py (and pandas)
    load here, with the first folder checked, so Train's page does not wait for them (pages/_inputs.py)."""
    from pages._plotly import go

    labels = [names.get(c, c) for c in result.classes]
    fig = go.Figure(go.Bar(x=labels, y=[result.counts[c] for c in result.classes], marker_color=theme.SERIES[0],
                           text=[str(result.counts[c]) for c in result.classes], textposition="outside"))
    fig.update_yaxes(title=t("datasets.images_axis"), rangemode="tozero")
    fig.update_xaxes(type="category", tickangle=-30 if len(labels) > 6 else 0)
    return fig.update_layout(height=300, font=theme.FONT,
                             margin={"l": 10, "r": 10, "t": 30, "b": 10})


def source_fits(source, own: Path | None) -> bool:
    """Whether the run fine-tuning would continue learned from the chosen data; if not, says so."""
    wanted = labelled.scan(own).root.name if own else CATS_DOGS.id
    if source is None or source.card.dataset == wanted:
        return True
    st.warning(t("datasets.source_other", run=source.name, theirs=source.card.dataset, wanted=wanted))
    return False
