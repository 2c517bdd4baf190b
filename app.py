"""ConvNet Classroom: a thin router. Pages live in pages/, computation in core/."""
import streamlit as st

from pages._i18n import language_switch, t

st.set_page_config(page_title="ConvNet Classroom", page_icon=":material/neurology:", layout="wide")
language_switch()

PAGES = {  # section key -> (file, title key, icon)
    "nav.section.chapter": [("pages/home.py", "nav.home", ":material/home:")],
    "nav.section.convnets": [
        ("pages/convolution.py", "nav.convolution", ":material/grid_on:"),
        ("pages/padding_stride.py", "nav.padding_stride", ":material/straighten:"),
        ("pages/pooling.py", "nav.pooling", ":material/compress:"),
        ("pages/architecture.py", "nav.architecture", ":material/account_tree:"),
    ],
    "nav.section.small_data": [("pages/augmentation.py", "nav.augmentation", ":material/casino:")],
    "nav.section.results": [
        ("pages/predict.py", "nav.predict", ":material/pets:"),
        ("pages/compare.py", "nav.compare", ":material/monitoring:"),
        ("pages/train.py", "nav.train", ":material/model_training:"),
    ],
}

navigation = st.navigation({
    t(section): [st.Page(path, title=t(title), icon=icon, default=path == "pages/home.py")
                 for path, title, icon in entries]
    for section, entries in PAGES.items()
})
navigation.run()
