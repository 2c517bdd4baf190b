"""Strings of pages/_canvas.py: the drawing canvas's toolbar explained (its own tooltips are English)."""
STRINGS = {
    "en": {
        "canvas.hint": "Draw one digit, large, with the mouse or a finger. The buttons that appear above the canvas: ⇧ sends the drawing to the models now, ↶ undoes, ↷ redoes, ✎ selects and moves strokes, the bin clears the canvas.",
    },
    "zh-TW": {
        "canvas.hint": "用滑鼠或手指寫一個大大的數字。畫布上方出現的按鈕：⇧ 立刻把畫好的數字交給模型、↶ 復原、↷ 重做、✎ 選取並移動筆畫、垃圾桶清除整個畫布。",
    },
}
