STRINGS = {
    "en": {
        "pooling.title": "Max pooling",
        "pooling.nav": "Max pooling",
        "pooling.topic": "5.1 The max-pooling operation",
        "pooling.intro": (
            "Max pooling looks at 2×2 windows with stride 2 and keeps the **largest** value of each: the "
            "feature map is halved in each direction. Below, the same job done three ways on the same "
            "input and filter: max pooling and average pooling of the dense feature map, and a strided "
            "convolution that only looks at every other window of the input (book section 5.1.2)."
        ),
        "pooling.input": "1 · Input",
        "pooling.filter": "2 · The filter that makes the feature map",
        "pooling.shapes": (
            "Feature map (3×3 convolution + ReLU, `same`): **{rows} × {cols}** → max and average pooling "
            "2×2, stride 2: **{pooled}** · strided convolution 3×3, stride 2: **{strided}**"
        ),
        "pooling.fig.input": "Input (strided convolution's window)",
        "pooling.fig.features": "Feature map (pooling window)",
        "pooling.fig.max": "Max pooling 2×2/2",
        "pooling.fig.average": "Average pooling 2×2/2",
        "pooling.fig.strided": "Strided convolution 3×3/2",
        "pooling.value.max": "Max of the window",
        "pooling.value.average": "Mean of the window",
        "pooling.value.strided": "Strided convolution",
        "pooling.why": "Why the maximum?",
        "pooling.argument": (
            "A feature map records **where** a pattern is present. Over a small patch, what matters is "
            "whether the pattern is there at all: its **maximal presence**. The **average** dilutes a "
            "strong, thin response (an edge one pixel wide) with its empty neighbours, and a **strided** "
            "convolution looks at sparser windows of the input and can miss the pattern altogether. "
            "So the book's recipe: dense maps from unstrided convolutions, then the maximum over small "
            "patches. Pooling also makes the next layers see larger parts of the image and keeps the "
            "parameter count small (see *Architectures*: model_no_max_pool)."
        ),
    },
    "zh-TW": {
        "pooling.title": "最大池化",
        "pooling.nav": "最大池化 (Max pooling)",
        "pooling.topic": "5.1 最大池化 (max pooling) 運算",
        "pooling.intro": (
            "最大池化 (max pooling) 以步幅 2 檢視 2×2 的窗口，只保留每個窗口中**最大**的值：特徵圖的長寬"
            "各減半。下面用三種方式在同一個輸入、同一個濾鏡上完成同一件事：對密集的特徵圖做最大池化與"
            "平均池化，以及只看輸入中每隔一個窗口的有步幅卷積（書中 5.1.2 節）。"
        ),
        "pooling.input": "1 · 輸入",
        "pooling.filter": "2 · 產生特徵圖的濾鏡",
        "pooling.shapes": (
            "特徵圖（3×3 卷積 + ReLU，`same`）：**{rows} × {cols}** → 最大與平均池化 2×2、步幅 2："
            "**{pooled}** · 有步幅的卷積 3×3、步幅 2：**{strided}**"
        ),
        "pooling.fig.input": "輸入（有步幅卷積的窗口）",
        "pooling.fig.features": "特徵圖（池化窗口）",
        "pooling.fig.max": "最大池化 2×2/2",
        "pooling.fig.average": "平均池化 2×2/2",
        "pooling.fig.strided": "有步幅的卷積 3×3/2",
        "pooling.value.max": "窗口最大值",
        "pooling.value.average": "窗口平均值",
        "pooling.value.strided": "有步幅的卷積",
        "pooling.why": "為什麼取最大值？",
        "pooling.argument": (
            "特徵圖記錄的是某個樣式**出現在哪裡**。在一小塊區域裡，重要的是這個樣式到底有沒有出現，"
            "也就是它的**最大存在程度**。**平均**會把強烈而細的反應（例如一個像素寬的邊緣）和周圍的空白"
            "平均掉；**有步幅的卷積**只看輸入中較稀疏的窗口，可能完全錯過這個樣式。所以書中的做法是："
            "先用無步幅的卷積產生密集的特徵圖，再在小區塊上取最大值。池化也讓後面的層看到影像中更大的範圍，"
            "並讓參數數量維持在小規模（見「模型架構」頁的 model_no_max_pool）。"
        ),
    },
}
