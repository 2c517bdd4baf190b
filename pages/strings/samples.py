STRINGS = {
    "en": {
        "samples.pick": "Or a sample photo",
        "samples.placeholder": "Choose a sample",
        "samples.credit": "Sample from the data set: {credit}",
    },
    "zh-TW": {
        "samples.pick": "或選一張範例照片",
        "samples.placeholder": "選擇範例",
        "samples.credit": "取自資料集的範例：{credit}",
    },
}
