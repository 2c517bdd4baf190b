STRINGS = {
    "en": {
        "convolution.title": "The convolution operation",
        "convolution.nav": "Convolution",
        "convolution.topic": "5.1 Introduction to convnets: the convolution operation",
        "convolution.intro": (
            "A convolution layer learns **local** patterns. It slides a small window (3×3 or 5×5) over "
            "its input, stops at every position, multiplies the patch under the window element by element "
            "with the **kernel**, and adds the products up: that sum is **one cell** of the output. The "
            "same kernel is used everywhere, so a pattern learned in one corner is recognised anywhere "
            "(book section 5.1.1, figures 5.1–5.4)."
        ),
        "convolution.input": "1 · Input",
        "convolution.kernel": "2 · Kernel",
        "convolution.sizes": (
            "A **{rows} × {cols}** input and a **{k} × {k}** kernel give a **{out_rows} × {out_cols}** "
            "output. Per side: `{formula}`"
        ),
        "convolution.steps": "3 · Step through the windows",
        "convolution.fig.input": "Input and the current window",
        "convolution.fig.output": "Output feature map",
        "convolution.fig.patch": "Patch",
        "convolution.fig.kernel": "⊙ Kernel",
        "convolution.fig.products": "= Products",
        "convolution.sum": "Σ products → output[{row}, {col}]",
        "convolution.maps": "4 · Many filters at once: the depth axis",
        "convolution.maps_text": (
            "A real layer applies many kernels (filters) to the same input, each giving its own map. "
            "Stacked, they form the output's **depth**: `Conv2D(32, (3, 3))` outputs 32 maps. Here, every "
            "preset kernel applied to your input:"
        ),
        "convolution.maps_caption": (
            "{count} filters → an output of depth {count}. A trained convnet learns its kernels instead "
            "of using hand-made ones."
        ),
    },
    "zh-TW": {
        "convolution.title": "卷積運算",
        "convolution.nav": "卷積 (Convolution)",
        "convolution.topic": "5.1 卷積網路簡介：卷積運算",
        "convolution.intro": (
            "卷積層學習的是**局部**樣式。它讓一個小窗口（3×3 或 5×5）在輸入上滑動，在每個位置停下，"
            "把窗口下的區塊與**卷積核 (kernel)** 逐元素相乘，再把乘積加總：這個總和就是輸出的**一格**。"
            "所有位置都用同一個卷積核，因此在某個角落學到的樣式，在任何地方都認得出來"
            "（書中 5.1.1 節，圖 5.1–5.4）。"
        ),
        "convolution.input": "1 · 輸入",
        "convolution.kernel": "2 · 卷積核",
        "convolution.sizes": (
            "**{rows} × {cols}** 的輸入配上 **{k} × {k}** 的卷積核，得到 **{out_rows} × {out_cols}** 的輸出。"
            "每一邊：`{formula}`"
        ),
        "convolution.steps": "3 · 逐一檢視每個窗口",
        "convolution.fig.input": "輸入與目前的窗口",
        "convolution.fig.output": "輸出特徵圖 (feature map)",
        "convolution.fig.patch": "區塊 (patch)",
        "convolution.fig.kernel": "⊙ 卷積核",
        "convolution.fig.products": "= 乘積",
        "convolution.sum": "Σ 乘積 → 輸出[{row}, {col}]",
        "convolution.maps": "4 · 同時使用多個濾鏡：深度軸",
        "convolution.maps_text": (
            "實際的卷積層會對同一個輸入套用許多卷積核（濾鏡 filters），每個都產生自己的特徵圖。"
            "疊在一起就是輸出的**深度**：`Conv2D(32, (3, 3))` 會輸出 32 張特徵圖。"
            "下面是每個預設卷積核套用在你的輸入上的結果："
        ),
        "convolution.maps_caption": "{count} 個濾鏡 → 深度為 {count} 的輸出。訓練好的卷積網路會自己學出卷積核，而不是用人工設計的。",
    },
}
