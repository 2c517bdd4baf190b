"""Strings of pages/_results.py, the charts shared by predict, compare and train."""
STRINGS = {
    "en": {
        "results.training": "training",
        "results.validation": "validation",
        "results.best": "best epoch: {epoch}",
        "results.gap": "gap: {gap:.1f} points",
        "results.metric.accuracy": "Accuracy",
        "results.metric.loss": "Loss",
        "results.epoch": "epoch",
        "results.predicted": "the model said",
        "results.truth": "truth",
        "results.book_run": "{recipe} — the book's run",
    },
    "zh-TW": {
        "results.training": "訓練",
        "results.validation": "驗證",
        "results.best": "最佳週期 (epoch)：{epoch}",
        "results.gap": "差距：{gap:.1f} 個百分點",
        "results.metric.accuracy": "準確率 (accuracy)",
        "results.metric.loss": "損失 (loss)",
        "results.epoch": "訓練週期 (epoch)",
        "results.predicted": "模型的答案",
        "results.truth": "正確答案",
        "results.book_run": "{recipe} — 書中的訓練結果",
    },
}
