"""Strings of pages/_topk.py: Predict on data sets beyond cats and dogs."""
STRINGS = {
    "en": {
        "topk.dataset": "Models trained on",
        "topk.dataset.cats_and_dogs": "Cats vs dogs",
        "topk.dataset.mnist": "MNIST digits",
        "topk.dataset.ccsn": "Cloud genera (CCSN)",
        "topk.accuracy": "Its {k} most likely of {n} classes · test accuracy {accuracy:.1%}",
    },
    "zh-TW": {
        "topk.dataset": "模型訓練所用的資料",
        "topk.dataset.cats_and_dogs": "貓與狗",
        "topk.dataset.mnist": "MNIST 手寫數字",
        "topk.dataset.ccsn": "雲屬（CCSN）",
        "topk.accuracy": "{n} 個類別中最可能的 {k} 個 · 測試準確率 {accuracy:.1%}",
    },
}
