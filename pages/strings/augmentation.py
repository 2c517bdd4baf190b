STRINGS = {
    "en": {
        "augmentation.title": "Data augmentation",
        "augmentation.nav": "Data augmentation",
        "augmentation.topic": "5.2 Data augmentation against overfitting",
        "augmentation.intro": (
            "With only 2,000 training photos, a convnet memorises them. Data augmentation generates more "
            "training data from the photos we have, through random transformations that still look "
            "believable, so the model never sees the exact same picture twice (book section 5.2.5, "
            "listing 5.11). The defaults are the book's values."
        ),
        "augmentation.rotation_range": "rotation_range (degrees, both ways)",
        "augmentation.width_shift_range": "width_shift_range (fraction of the width)",
        "augmentation.height_shift_range": "height_shift_range (fraction of the height)",
        "augmentation.shear_range": "shear_range (degrees)",
        "augmentation.zoom_range": "zoom_range (zoom between 1 − z and 1 + z)",
        "augmentation.horizontal_flip": "horizontal_flip (mirror half)",
        "augmentation.fill_mode": "fill_mode (how pixels that appear are filled)",
        "augmentation.book_values": "Back to the book's values",
        "augmentation.source": "Picture",
        "augmentation.source.sample": "Training photo",
        "augmentation.source.generated": "Generated picture",
        "augmentation.source.upload": "Your photo",
        "augmentation.photo": "Photo from the training set",
        "augmentation.upload_missing": "No photo yet: showing the generated picture meanwhile.",
        "augmentation.count": "How many versions",
        "augmentation.seed": "Random seed",
        "augmentation.working": "Augmenting…",
        "augmentation.parts": "{flip}↻{rotation:+.0f}° ⇄{shift_x:+.0f} ⇅{shift_y:+.0f} px ×{zoom_x:.2f}/{zoom_y:.2f}",
        "augmentation.flipped": "↔ ",
        "augmentation.parts_legend": (
            "Under each picture, what was drawn for it: ↔ mirrored; then ↻ turned clockwise by so many "
            "degrees, ⇄ ⇅ moved right and down by so many pixels, × zoom across/down (above 1 shows more of the "
            "scene, smaller). Training draws "
            "new values for every photo in every epoch."
        ),
        "augmentation.original": "original",
        "augmentation.code": "The book's code and the Keras 3 code",
        "augmentation.book_code": "**Book (Keras 2, ImageDataGenerator)**",
        "augmentation.keras3_code": "**The same in Keras 3 preprocessing layers (for your own projects)**",
        "augmentation.shear_note": (
            "Careful with units: ImageDataGenerator's `shear_range` is an **angle in degrees**, so the "
            "book's 0.2 is a 0.2° shear, hardly visible. Keras 3's RandomShear takes the shift as a "
            "fraction, tan({shear:g}°) = {factor:.4f}. Rotation too changes unit: degrees in the book, "
            "a fraction of a full turn in RandomRotation."
        ),
        "augmentation.same_code": (
            "The pictures above come from the function the training pipeline runs (core.data.augment), so what you see is "
            "what the model sees. It folds the random rotation, shift, shear, zoom and flip of each picture into one "
            "matrix and resamples once; the four Keras layers resample four times, which is slower and blurrier."
        ),
    },
    "zh-TW": {
        "augmentation.title": "資料擴增",
        "augmentation.nav": "資料擴增 (Data augmentation)",
        "augmentation.topic": "5.2 用資料擴增對抗過度擬合",
        "augmentation.intro": (
            "只有 2,000 張訓練照片時，卷積網路會把它們背起來。資料擴增 (data augmentation) 透過隨機但看起來"
            "仍然合理的變換，從現有照片產生更多訓練資料，讓模型永遠不會看到兩次完全相同的影像"
            "（書中 5.2.5 節，程式清單 5.11）。預設值就是書中的設定。"
        ),
        "augmentation.rotation_range": "rotation_range（旋轉角度，正負皆可）",
        "augmentation.width_shift_range": "width_shift_range（水平平移，占寬度的比例）",
        "augmentation.height_shift_range": "height_shift_range（垂直平移，占高度的比例）",
        "augmentation.shear_range": "shear_range（剪切角度，度）",
        "augmentation.zoom_range": "zoom_range（縮放介於 1 − z 與 1 + z）",
        "augmentation.horizontal_flip": "horizontal_flip（半數左右翻轉）",
        "augmentation.fill_mode": "fill_mode（新出現的像素如何填補）",
        "augmentation.book_values": "恢復書中的設定",
        "augmentation.source": "影像",
        "augmentation.source.sample": "訓練照片",
        "augmentation.source.generated": "程式產生的圖",
        "augmentation.source.upload": "你的照片",
        "augmentation.photo": "訓練集中的照片",
        "augmentation.upload_missing": "尚未上傳照片：先以程式產生的圖示範。",
        "augmentation.count": "產生幾張",
        "augmentation.seed": "隨機種子 (seed)",
        "augmentation.working": "正在擴增…",
        "augmentation.parts": "{flip}↻{rotation:+.0f}° ⇄{shift_x:+.0f} ⇅{shift_y:+.0f} px ×{zoom_x:.2f}/{zoom_y:.2f}",
        "augmentation.flipped": "↔ ",
        "augmentation.parts_legend": (
            "每張影像下方是它抽到的數值：↔ 左右翻轉；接著 ↻ 順時針旋轉角度（度），⇄ ⇅ 向右與向下移動的像素，× 水平／垂直縮放"
            "（大於 1 會看到更多場景、物體變小）。訓練時每個 epoch 的每張照片都會重新抽取。"
        ),
        "augmentation.original": "原圖",
        "augmentation.code": "書中的程式碼與 Keras 3 的程式碼",
        "augmentation.book_code": "**書中（Keras 2，ImageDataGenerator）**",
        "augmentation.keras3_code": "**Keras 3 前處理層的等效寫法（給你自己的專案用）**",
        "augmentation.shear_note": (
            "注意單位：ImageDataGenerator 的 `shear_range` 是**以度為單位的角度**，所以書中的 0.2 只是 0.2° "
            "的剪切，幾乎看不出來。Keras 3 的 RandomShear 使用比例，tan({shear:g}°) = {factor:.4f}。"
            "旋轉的單位也不同：書中是度，RandomRotation 則是整圈的比例。"
        ),
        "augmentation.same_code": (
            "上面的影像與訓練流程使用同一個函式（core.data.augment）產生，你看到的就是模型看到的。它把每張影像的隨機旋轉、"
            "平移、剪切、縮放與翻轉合成一個矩陣，只重新取樣一次；四個 Keras 層則要重新取樣四次，較慢也較模糊。"
        ),
    },
}
