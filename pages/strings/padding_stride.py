STRINGS = {
    "en": {
        "padding_stride.title": "Padding and strides",
        "padding_stride.nav": "Padding & stride",
        "padding_stride.topic": "5.1 Padding, strides, output size",
        "padding_stride.intro": (
            "Without padding (`valid`), a window only stops where it fits entirely, so the output shrinks. "
            "`same` pads the border with zeros so that, at stride 1, the output keeps the input's size. "
            "A **stride** larger than 1 skips positions and divides the size (book section 5.1.1, "
            "figures 5.5–5.7)."
        ),
        "padding_stride.size": "Input size (pixels per side)",
        "padding_stride.stride": "Stride",
        "padding_stride.output": "Output size",
        "padding_stride.pads": "TensorFlow pads **{before}** row(s) on top and **{after}** at the bottom (the same left and right).",
        "padding_stride.asymmetric": (
            "Lop-sided padding: {before} before, {after} after. When the padding needed is odd, "
            "TensorFlow/Keras put the extra pixel at the **bottom and right**. Most drawings (and "
            "PyTorch's symmetric padding) hide this, so the same weights can give shifted outputs "
            "in another framework."
        ),
        "padding_stride.dropped": (
            "Row(s) and column(s) **{indices}** ({count} per side) are never covered by any window: the "
            "⌊…⌋ in the formula throws them away, and the layer never looks at those pixels."
        ),
        "padding_stride.all_seen": "Every input pixel is covered by at least one window.",
        "padding_stride.fig.input": "Input {size} × {size}, padding and the current window",
        "padding_stride.fig.output": "Output {size} × {size} (mean of each window)",
        "padding_stride.window_at": (
            "Output cell ({row}, {col}) reads the window whose top-left corner is input pixel "
            "({top}, {left}); negative coordinates lie in the padding."
        ),
        "padding_stride.book": (
            "In practice (book): convolutions use 3×3 windows with stride 1; downsampling is left to "
            "max pooling (next page). Strided convolutions are rarely used, though some models need them."
        ),
    },
    "zh-TW": {
        "padding_stride.title": "填補與步幅",
        "padding_stride.nav": "填補與步幅 (Padding & stride)",
        "padding_stride.topic": "5.1 填補 (padding)、步幅 (stride) 與輸出尺寸",
        "padding_stride.intro": (
            "不填補（`valid`）時，窗口只停在能完整放入的位置，所以輸出會變小。`same` 在邊緣補上 0，"
            "讓步幅為 1 時輸出與輸入同樣大小。**步幅 (stride)** 大於 1 會跳過位置，使尺寸按比例縮小"
            "（書中 5.1.1 節，圖 5.5–5.7）。"
        ),
        "padding_stride.size": "輸入尺寸（每邊像素數）",
        "padding_stride.stride": "步幅 (stride)",
        "padding_stride.output": "輸出尺寸",
        "padding_stride.pads": "TensorFlow 在上方填補 **{before}** 列、下方填補 **{after}** 列（左右亦同）。",
        "padding_stride.asymmetric": (
            "不對稱的填補：前 {before}、後 {after}。需要填補的總數為奇數時，TensorFlow/Keras 會把多出的"
            "一個像素放在**下方與右方**。多數圖解（以及 PyTorch 的對稱填補）都不會呈現這一點，"
            "因此同樣的權重換到別的框架，輸出可能會偏移。"
        ),
        "padding_stride.dropped": (
            "第 **{indices}** 列與行（每邊 {count} 個）沒有被任何窗口覆蓋：公式中的 ⌊…⌋ 把它們捨去了，"
            "這一層完全看不到那些像素。"
        ),
        "padding_stride.all_seen": "每個輸入像素都至少被一個窗口覆蓋。",
        "padding_stride.fig.input": "輸入 {size} × {size}、填補與目前的窗口",
        "padding_stride.fig.output": "輸出 {size} × {size}（每個窗口的平均值）",
        "padding_stride.window_at": "輸出格 ({row}, {col}) 讀取左上角位於輸入像素 ({top}, {left}) 的窗口；座標為負表示落在填補區。",
        "padding_stride.book": (
            "實務上（書中）：卷積使用 3×3 窗口、步幅 1；縮小尺寸交給最大池化（下一頁）。"
            "有步幅的卷積很少用到，不過某些模型會需要。"
        ),
    },
}
