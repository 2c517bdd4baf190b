"""Strings of pages/_canvas.py: the drawing canvas's toolbar explained (its own tooltips are English)."""
STRINGS = {
    "en": {
        "canvas.hint": "Draw one digit, large, with the mouse or a finger. Under the canvas: ↶ undo, ↷ redo, the bin clears the canvas.",
    },
    "zh-TW": {
        "canvas.hint": "用滑鼠或手指寫一個大大的數字。畫布下方的按鈕：↶ 復原、↷ 重做、垃圾桶清除整個畫布。",
    },
}
