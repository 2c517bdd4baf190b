STRINGS = {
    "en": {
        "passcode.label": "Teacher passcode",
        "passcode.help": "Starting and cancelling training and uploading data sets are for the teacher on this server.",
        "passcode.enter": "Unlock",
        "passcode.unlocked": "Teacher controls unlocked in this browser tab.",
        "passcode.lock": "Lock",
        "passcode.wrong": "That is not the passcode.",
        "passcode.wait": "Too many wrong tries on this server. Try again in {seconds} s.",
        "passcode.locked": "Only the teacher can start or cancel training on this server: enter the teacher passcode in the sidebar. Everyone can watch the runs, compare them and predict.",
        "passcode.refused": "Refused: this needs the teacher passcode (in the sidebar).",
    },
    "zh-TW": {
        "passcode.label": "教師密碼",
        "passcode.help": "在這台伺服器上，開始與取消訓練、上傳資料集都只限老師操作。",
        "passcode.enter": "解鎖",
        "passcode.unlocked": "已在此瀏覽器分頁解鎖教師功能。",
        "passcode.lock": "鎖定",
        "passcode.wrong": "密碼不正確。",
        "passcode.wait": "這台伺服器上錯誤嘗試太多次。請在 {seconds} 秒後再試。",
        "passcode.locked": "在這台伺服器上只有老師能開始或取消訓練：請在側邊欄輸入教師密碼。每個人都可以觀看訓練、比較結果與預測。",
        "passcode.refused": "已拒絕：這需要教師密碼（在側邊欄）。",
    },
}
