STRINGS = {
    "en": {
        "architecture.title": "The chapter's models, layer by layer",
        "architecture.nav": "Architectures",
        "architecture.topic": "5.1–5.3 The chapter's models, layer by layer",
        "architecture.intro": (
            "Each table is `model.summary()` of the real Keras model the app trains, with the arithmetic "
            "behind every parameter count: a convolution has one kh·kw·C_in weight block per "
            "filter plus one bias per filter; a Dense layer one weight per input and unit plus one bias "
            "per unit. Pooling and Flatten learn nothing."
        ),
        "architecture.recipe": "Model",
        "architecture.base": "Pretrained convolutional base",
        "architecture.base.vgg16": "VGG16 (the book's base)",
        "architecture.base.efficientnet_lite0": "EfficientNet-Lite0 (the base trained here, offline)",
        "architecture.listings": "Book listings {listings}",
        "architecture.base_name.vgg16": "VGG16",
        "architecture.base_name.efficientnet_lite0": "EfficientNet-Lite0",
        "architecture.served": "The pretrained models this app serves (Predict, Compare) stand on {groups}.",
        "architecture.served_group": "{base} ({recipes})",
        "architecture.list_separator": ", ",
        "architecture.served_none": (
            "No pretrained model is served here yet (trained/ has none); training uses {base} "
            "unless told otherwise (`--base`)."
        ),
        "architecture.col.layer": "Layer (type)",
        "architecture.col.shape": "Output shape",
        "architecture.col.params": "Param #",
        "architecture.col.formula": "Where the number comes from",
        "architecture.total": "Total parameters",
        "architecture.trainable": "Trainable parameters",
        "architecture.receptive": "Receptive field of the last feature map (input pixels)",
        "architecture.receptive_whole": "Larger than the {side} × {side} image itself: each cell's view reaches past the image's edges.",
        "architecture.see_inside": "the sum of its layers (see below)",
        "architecture.inside": "Inside `{name}` ({count} layers)",
        "architecture.shrinking": "How the feature maps shrink",
        "architecture.side": "side of the feature map (pixels)",
        "architecture.shrinking_caption": (
            "The side of each layer's output, top to bottom (labels: height × width × depth). In the "
            "models trained from scratch, each 3×3 valid convolution takes 2 pixels and each 2×2 pooling "
            "halves the size, while the depth grows: the network trades space for features."
        ),
        "architecture.no_pool": "Why pool at all? model_no_max_pool",
        "architecture.no_pool_intro": (
            "The book removes the pooling layers from the MNIST model's convolution base. Both columns "
            "below are real Keras models; every number is computed from them."
        ),
        "architecture.with_pooling": "MNIST convolution base (with max pooling)",
        "architecture.without_pooling": "model_no_max_pool (three 3×3 convolutions)",
        "architecture.last_map": "Last feature map (height × width × depth)",
        "architecture.layers": "Layers",
        "architecture.coefficients": "Coefficients in the last feature map, per sample",
        "architecture.dense_on_top": "Parameters of a Dense({units}) on top",
        "architecture.no_pool_lesson": (
            "Without pooling, a cell of the last layer sees only a small window of the digit, too little "
            "to learn high-level patterns (no spatial hierarchy of features), and flattening the large "
            "final map into a Dense layer needs far too many parameters for such a small model: intense "
            "overfitting (book section 5.1.2)."
        ),
    },
    "zh-TW": {
        "architecture.title": "本章模型的逐層架構",
        "architecture.nav": "模型架構",
        "architecture.topic": "5.1–5.3 本章模型的逐層架構",
        "architecture.intro": (
            "每張表都是本應用實際訓練的 Keras 模型的 `model.summary()`，並附上每個參數數量背後的算式："
            "卷積層的每個濾鏡有一組 kh·kw·C_in 的權重，外加一個偏差 (bias)；Dense 層的每個輸入"
            "與每個單元之間各有一個權重，每個單元再加一個偏差。池化與 Flatten 不學習任何參數。"
        ),
        "architecture.recipe": "模型",
        "architecture.base": "預訓練的卷積基底 (convolutional base)",
        "architecture.base.vgg16": "VGG16（書中使用的基底）",
        "architecture.base.efficientnet_lite0": "EfficientNet-Lite0（本機離線訓練所用的基底）",
        "architecture.listings": "書中程式清單 {listings}",
        "architecture.base_name.vgg16": "VGG16",
        "architecture.base_name.efficientnet_lite0": "EfficientNet-Lite0",
        "architecture.served": "本應用提供的預訓練模型（預測、比較頁面）所用的基底：{groups}。",
        "architecture.served_group": "{base}（{recipes}）",
        "architecture.list_separator": "、",
        "architecture.served_none": "這裡還沒有可用的預訓練模型（trained/ 中沒有）；訓練時若未指定 `--base`，就使用 {base}。",
        "architecture.col.layer": "層（類型）",
        "architecture.col.shape": "輸出形狀",
        "architecture.col.params": "參數數量",
        "architecture.col.formula": "數字的來源",
        "architecture.total": "參數總數",
        "architecture.trainable": "可訓練參數",
        "architecture.receptive": "最後一張特徵圖的感受野（輸入像素）",
        "architecture.receptive_whole": "比 {side} × {side} 的影像本身還大：每一格的視野都延伸到影像邊界之外。",
        "architecture.see_inside": "其內部各層的總和（見下方）",
        "architecture.inside": "`{name}` 的內部（{count} 層）",
        "architecture.shrinking": "特徵圖如何縮小",
        "architecture.side": "特徵圖邊長（像素）",
        "architecture.shrinking_caption": (
            "由上而下，每一層輸出的邊長（標籤：高 × 寬 × 深度）。在從頭訓練的模型中，每個 3×3 valid 卷積少掉 2 個像素，"
            "每個 2×2 池化讓尺寸減半，而深度持續增加：網路用空間換取特徵。"
        ),
        "architecture.no_pool": "為什麼要池化？model_no_max_pool",
        "architecture.no_pool_intro": "書中把 MNIST 模型卷積基底中的池化層拿掉。下面兩欄都是真正的 Keras 模型，所有數字都由它們算出。",
        "architecture.with_pooling": "MNIST 卷積基底（有最大池化）",
        "architecture.without_pooling": "model_no_max_pool（三個 3×3 卷積）",
        "architecture.last_map": "最後一張特徵圖（高 × 寬 × 深度）",
        "architecture.layers": "各層",
        "architecture.coefficients": "最後一張特徵圖的係數數量（每個樣本）",
        "architecture.dense_on_top": "在上面接一個 Dense({units}) 的參數數量",
        "architecture.no_pool_lesson": (
            "沒有池化時，最後一層的每一格只看到數字中很小的一塊，不足以學到高階樣式（無法形成特徵的空間階層）；"
            "而把巨大的最後特徵圖攤平接上 Dense 層，對這麼小的模型來說參數多得離譜，會嚴重過度擬合"
            "（書中 5.1.2 節）。"
        ),
    },
}
