STRINGS = {
    "en": {
        "inside.title": "Inside the model",
        "inside.nav": "Inside the model",
        "inside.topic": "5.4 Visualizing what convnets learn: feature maps, filter patterns, Grad-CAM",
        "inside.intro": (
            "What does a trained convnet do with one image? Pick a model and an image: each layer's "
            "**feature maps** (book section 5.4.1), the **patterns its filters answer to** (5.4.2) and "
            "**where it looks** when it decides, as a Grad-CAM heatmap (5.4.3), for several models side by side."
        ),
        "inside.no_models": "No trained model is here yet: trained/ is empty and no run has finished.",
        "inside.model": "Model",
        "inside.source": "Image",
        "inside.source.sample": "A sample",
        "inside.source.upload": "My photo",
        "inside.sample": "Sample",
        "inside.sample.digit": "a drawn {d}",
        "inside.waiting": "Upload a photo to look inside the model.",
        "inside.pick_sample": "Choose a sample photo above, or upload your own, to look inside the model.",
        "inside.unavailable": "This model cannot be used: {reason}",
        "inside.no_gradcam": "No heatmap for this model: {reason}.",
        "inside.input": "The image",
        "inside.tab.maps": "Feature maps (5.4.1)",
        "inside.tab.patterns": "Filter patterns (5.4.2)",
        "inside.tab.gradcam": "Grad-CAM (5.4.3)",
        "inside.maps.observations": (
            "Each small square is one **channel** of a layer's output, brighter where its filter found its "
            "pattern. As in the book: the **first layers** keep almost all of the image and act as edge "
            "detectors; **deeper layers** grow more abstract and **sparser**, about {about} rather "
            "than pixels; a **blank** channel is a filter whose pattern is absent from this image."
        ),
        "inside.maps.about.cats_and_dogs": "“ear” or “eye”",
        "inside.maps.about.mnist": "“a loop” or “a stroke's end”",
        "inside.maps.about.photos": "“a texture” or “a shape”",
        "inside.maps.layer": "**{name}** · {h} × {w} × {c} · {blank} of {c} channels blank · first {shown} shown",
        "inside.maps.one": "One channel, larger",
        "inside.maps.pick_layer": "Layer",
        "inside.maps.pick_channel": "Channel (0–{last})",
        "inside.maps.channel": "{name}, channel {k}",
        "inside.patterns.intro": (
            "The input each filter answers to most: gradient ascent from a grey, noisy image, 40 steps, "
            "the gradient normalised (Listings 5.32–5.38). Early filters answer to edges and colours, "
            "deeper ones to textures made of them."
        ),
        "inside.patterns.missing": "This model has no filter patterns yet. Compute them once (with TensorFlow): `{command}`",
        "inside.patterns.layer": "**{name}** · {n} filters · {steps} steps · seed {seed}",
        "inside.gradcam.intro": (
            "Grad-CAM: how much each place in the last conv layer's feature maps speaks for a class "
            "(its channels weighted by the class score's gradient), laid over the image. Red: the evidence. {ask}"
        ),
        "inside.gradcam.ask.cats_and_dogs": "Does augmentation make the from-scratch model look at the animal? "
                                            "Does the pretrained one?",
        "inside.gradcam.ask.mnist": "Does the model look at the digit's strokes, or at the empty paper around them?",
        "inside.gradcam.ask.photos": "Does each model look at what tells the classes apart (for skies: the clouds), "
                                     "or at the horizon, the trees and the roofs?",
        "inside.gradcam.models": "Models",
        "inside.gradcam.class": "Class",
        "inside.gradcam.predicted": "the one each model predicts",
        "inside.gradcam.opacity": "Heatmap opacity",
        "inside.gradcam.caption": "{model}: {name} {p:.1%} · at {layer}",
        "inside.why": "why?",
    },
    "zh-TW": {
        "inside.title": "模型內部",
        "inside.nav": "模型內部",
        "inside.topic": "5.4 視覺化卷積網路學到的東西：特徵圖、過濾器圖樣、Grad-CAM",
        "inside.intro": (
            "訓練好的卷積網路怎麼處理一張影像？選一個模型和一張影像：看每一層的**特徵圖**（書中 5.4.1 節）、"
            "**過濾器回應的圖樣**（5.4.2）以及模型做判斷時**看哪裡**的 Grad-CAM 熱圖（5.4.3），可多個模型並排比較。"
        ),
        "inside.no_models": "目前還沒有訓練好的模型：trained/ 是空的，也沒有完成的訓練。",
        "inside.model": "模型",
        "inside.source": "影像",
        "inside.source.sample": "範例",
        "inside.source.upload": "我的照片",
        "inside.sample": "範例",
        "inside.sample.digit": "手繪的 {d}",
        "inside.waiting": "上傳一張照片，看看模型內部。",
        "inside.pick_sample": "在上方選一張範例照片，或上傳自己的照片，看看模型內部。",
        "inside.unavailable": "無法使用這個模型：{reason}",
        "inside.no_gradcam": "這個模型沒有熱圖：{reason}。",
        "inside.input": "輸入影像",
        "inside.tab.maps": "特徵圖 (5.4.1)",
        "inside.tab.patterns": "過濾器圖樣 (5.4.2)",
        "inside.tab.gradcam": "Grad-CAM (5.4.3)",
        "inside.maps.observations": (
            "每個小方格是一層輸出的一個**通道**，過濾器找到它的圖樣之處較亮。如書中所述：**前幾層**幾乎保留整張影像，"
            "像是邊緣偵測器；**越深的層**越抽象、越**稀疏**，關於{about}而不是像素；"
            "**空白**的通道表示這張影像裡沒有該過濾器的圖樣。"
        ),
        "inside.maps.about.cats_and_dogs": "「耳朵」或「眼睛」",
        "inside.maps.about.mnist": "「圈」或「筆畫的末端」",
        "inside.maps.about.photos": "「紋理」或「形狀」",
        "inside.maps.layer": "**{name}** · {h} × {w} × {c} · {c} 個通道中 {blank} 個空白 · 顯示前 {shown} 個",
        "inside.maps.one": "放大一個通道",
        "inside.maps.pick_layer": "層",
        "inside.maps.pick_channel": "通道（0–{last}）",
        "inside.maps.channel": "{name}，第 {k} 個通道",
        "inside.patterns.intro": (
            "每個過濾器回應最強的輸入：從帶雜訊的灰色影像開始做梯度上升，共 40 步，梯度經過正規化"
            "（程式清單 5.32–5.38）。前面的過濾器回應邊緣與顏色，較深的回應由它們組成的紋理。"
        ),
        "inside.patterns.missing": "這個模型還沒有過濾器圖樣。請用 TensorFlow 計算一次：`{command}`",
        "inside.patterns.layer": "**{name}** · {n} 個過濾器 · {steps} 步 · 亂數種子 {seed}",
        "inside.gradcam.intro": (
            "Grad-CAM：最後一個卷積層特徵圖上的每個位置對某個類別的支持程度（以類別分數的梯度為各通道加權），"
            "疊在影像上。紅色是證據所在。{ask}"
        ),
        "inside.gradcam.ask.cats_and_dogs": "資料擴增有沒有讓從零訓練的模型去看動物本身？預訓練模型呢？",
        "inside.gradcam.ask.mnist": "模型看的是數字的筆畫，還是筆畫周圍的空白？",
        "inside.gradcam.ask.photos": "每個模型看的是分辨類別的依據（天空照片：雲本身），還是地平線、樹木和屋頂？",
        "inside.gradcam.models": "模型",
        "inside.gradcam.class": "類別",
        "inside.gradcam.predicted": "各模型預測的類別",
        "inside.gradcam.opacity": "熱圖不透明度",
        "inside.gradcam.caption": "{model}：{name} {p:.1%} · 於 {layer}",
        "inside.why": "為什麼？",
    },
}
