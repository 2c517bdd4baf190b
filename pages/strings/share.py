STRINGS = {
    "en": {
        "share.button": "Link for students",
        "share.title": "This page, as you set it up",
        "share.how": "Students who open this link, or scan the code, see this page with these settings. "
                     "A photo you uploaded, a grid or kernel you edited by hand and drawings are not in the link.",
        "share.swapped": "You opened the app on this machine, so the link uses its network address ({host}): "
                         "students' devices on the same network can open it.",
        "share.local_only": "This server listens on this machine only, so students' devices cannot open the link. "
                            "Start it on the network (without --server.address 127.0.0.1) and open it by its network address.",
    },
    "zh-TW": {
        "share.button": "給學生的連結",
        "share.title": "這一頁，照您目前的設定",
        "share.how": "學生開啟這個連結或掃描 QR 碼，就會看到同一頁、同樣的設定。"
                     "您上傳的照片、手動編輯的格子或卷積核，以及手繪的內容不會放進連結。",
        "share.swapped": "您是在這台電腦上開啟本應用程式，所以連結改用它的網路位址（{host}）："
                         "同一個網路上的學生裝置都能開啟。",
        "share.local_only": "這台伺服器只在本機上接受連線，學生的裝置打不開這個連結。"
                            "請讓它在網路上啟動（不要加 --server.address 127.0.0.1），並用網路位址開啟。",
    },
}
