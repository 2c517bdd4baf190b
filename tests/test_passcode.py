"""Who may do what when the app is served to a room: the teacher passcode (core.passcode, the
gate pages/_passcode.py, the Train page through AppTest) and the upload quota (core.quota)."""
from __future__ import annotations

import errno
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import passcode, quota
from core.datasets import MNIST
from core.passcode import Attempt, Limiter
from core.reasons import Code, reason_of
from core.training import launcher
from pages import _passcode
from pages.strings import CATALOG
from tests.test_train_page import SLEEPER, no_data, write_mnist  # noqa: F401 (no_data is a fixture)

REPO = Path(__file__).resolve().parents[1]
SECRET = "blue-heron-42"


# ---- core: the passcode and its rate limit ------------------------------------------------------

def test_the_passcode_comes_from_the_environment_then_the_secrets_and_blank_is_unset():
    assert passcode.configured({}, {}) is None
    assert passcode.configured({passcode.ENV: "  "}, {passcode.SECRET: ""}) is None
    assert passcode.configured({}, {passcode.SECRET: "from-secrets"}) == "from-secrets"
    assert passcode.configured({passcode.ENV: "from-env"}, {passcode.SECRET: "from-secrets"}) == "from-env"


def test_matches_compares_exactly():
    assert passcode.matches(SECRET, SECRET) and passcode.matches("密碼", "密碼")
    assert not any(passcode.matches(given, SECRET) for given in ("", SECRET[:-1], SECRET + " ", SECRET.upper()))


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_wrong_tries_lock_every_try_out_for_a_while():
    clock = Clock()
    limiter = Limiter(tries=3, window=60, lockout=120, clock=clock)
    assert [limiter.attempt("guess", SECRET) for _ in range(3)] == [Attempt.WRONG] * 3
    assert limiter.attempt(SECRET, SECRET) == Attempt.WAIT  # even the right one, without looking
    assert limiter.wait() == 120
    clock.now += 119
    assert limiter.attempt(SECRET, SECRET) == Attempt.WAIT and limiter.wait() == 1
    clock.now += 1
    assert limiter.wait() == 0 and limiter.attempt(SECRET, SECRET) == Attempt.RIGHT


def test_wrong_tries_count_only_within_the_window_and_a_right_one_clears_them():
    clock = Clock()
    limiter = Limiter(tries=3, window=60, lockout=120, clock=clock)
    for _ in range(5):  # one wrong try every 31 s: never 3 within a minute
        assert limiter.attempt("guess", SECRET) == Attempt.WRONG
        clock.now += 31
    limiter.attempt("guess", SECRET)
    assert limiter.attempt(SECRET, SECRET) == Attempt.RIGHT
    assert [limiter.attempt("guess", SECRET) for _ in range(2)] == [Attempt.WRONG] * 2  # counted afresh
    assert limiter.wait() == 0


# ---- core: the upload quota ---------------------------------------------------------------------

def test_an_upload_within_the_quota_is_accepted(tmp_path):
    assert quota.refusal(50 * quota.MB, 2_000, tmp_path / "uploads" / "clouds", kept=3) is None


@pytest.mark.parametrize("size_mb, files, kept, code", [
    (quota.MAX_UPLOAD_MB + 1, 10, 0, Code.UPLOAD_TOO_LARGE),
    (1, quota.MAX_UPLOAD_FILES + 1, 0, Code.UPLOAD_TOO_MANY_FILES),
    (1, 10, quota.MAX_DATA_SETS, Code.DATA_SETS_FULL),
])
def test_an_upload_over_the_quota_is_refused_with_a_code(tmp_path, size_mb, files, kept, code):
    why = quota.refusal(size_mb * quota.MB, files, tmp_path / "new", kept=kept)
    assert why.code == code
    assert CATALOG["zh-TW"][f"reasons.{code}"].format(**why.params)  # every param the sentence needs


def test_an_upload_that_would_fill_the_disk_is_refused(tmp_path, monkeypatch):
    usage = type("Usage", (), {"free": (quota.KEEP_FREE_MB + 50) * quota.MB})
    monkeypatch.setattr(quota.shutil, "disk_usage", lambda path: usage)
    assert quota.refusal(40 * quota.MB, 10, tmp_path / "a" / "b") is None
    why = quota.refusal(60 * quota.MB, 10, tmp_path / "a" / "b")
    assert why.code == Code.DISK_FULL and why.params == {"free_mb": quota.KEEP_FREE_MB + 50,
                                                         "needed_mb": quota.KEEP_FREE_MB + 60}


def test_a_staged_folder_lands_whole_or_not_at_all(tmp_path):
    with quota.staged(tmp_path / "clouds") as folder:
        (folder / "Ci").mkdir()
        (folder / "Ci" / "1.jpg").write_bytes(b"x")
    assert (tmp_path / "clouds" / "Ci" / "1.jpg").read_bytes() == b"x"
    with pytest.raises(ValueError), quota.staged(tmp_path / "dogs") as folder:
        (folder / "half.jpg").write_bytes(b"x")
        raise ValueError("the zip was broken halfway")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clouds"]


def test_a_full_disk_while_writing_is_refused_and_leaves_nothing(tmp_path):
    with pytest.raises(quota.Refused) as refused, quota.staged(tmp_path / "clouds") as folder:
        (folder / "1.jpg").write_bytes(b"x" * 2048)
        raise OSError(errno.ENOSPC, "No space left on device")
    assert reason_of(refused.value).code == Code.DISK_FULL
    assert list(tmp_path.iterdir()) == []


# ---- the Train page -----------------------------------------------------------------------------

@pytest.fixture
def room(no_data, monkeypatch):  # noqa: F811 (the imported fixture)
    """MNIST present, the trainer a sleeper, no passcode anywhere, a fresh rate limit."""
    monkeypatch.setattr(launcher, "TRAIN_COMMAND", SLEEPER)
    monkeypatch.delenv(passcode.ENV, raising=False)
    write_mnist(no_data / MNIST.path)
    _passcode._limiter.clear()
    yield
    _passcode._limiter.clear()


def train_page(lang: str = "en", secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "pages" / "train.py"), default_timeout=60)
    at.session_state["lang"] = lang
    for key, value in (secrets or {}).items():
        at.secrets[key] = value
    return at.run()


def enter(at: AppTest, given: str) -> AppTest:
    at.sidebar.text_input(key="passcode_input").input(given)
    at.sidebar.button[0].click()
    return at.run()


@pytest.mark.slow  # over 2 s here (several page runs; a trainer process)
def test_with_no_passcode_everything_is_open(room):
    at = train_page()
    assert not at.exception and not at.sidebar.text_input and not at.button(key="train_start").disabled
    assert CATALOG["en"]["passcode.locked"] not in [i.value for i in at.info]
    at.button(key="train_start").click().run()
    assert launcher.current() is not None and not at.error
    assert not at.button(key="train_cancel").disabled


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
@pytest.mark.parametrize("where", ["environment", "secrets"])
def test_without_the_passcode_starting_is_refused_in_the_users_language(room, monkeypatch, lang, where):
    if where == "environment":
        monkeypatch.setenv(passcode.ENV, SECRET)
    at = train_page(lang, secrets={passcode.SECRET: SECRET} if where == "secrets" else None)
    strings = CATALOG[lang]
    assert not at.exception
    assert at.sidebar.text_input(key="passcode_input").label == strings["passcode.label"]
    assert strings["passcode.locked"] in [i.value for i in at.info]
    at.button(key="train_start").click().run()
    assert launcher.current() is None
    assert [e.value for e in at.error] == [strings["passcode.refused"]]


def test_the_server_checks_again_when_a_button_is_pressed(room, monkeypatch):
    """A Start drawn while unlocked, pressed after the passcode changed (secrets.toml edited,
    which Streamlit reloads): refused."""
    monkeypatch.setenv(passcode.ENV, SECRET)
    at = enter(train_page("zh-TW"), SECRET)
    monkeypatch.setenv(passcode.ENV, "a-new-one")
    at.button(key="train_start").click().run()
    assert launcher.current() is None
    assert [e.value for e in at.error] == [CATALOG["zh-TW"]["passcode.refused"]]


@pytest.mark.slow  # over 2 s here (several page runs; a trainer process)
@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_with_the_passcode_the_teacher_starts_and_cancels_and_a_student_cannot_cancel(room, monkeypatch, lang):
    monkeypatch.setenv(passcode.ENV, SECRET)
    strings = CATALOG[lang]
    teacher = enter(train_page(lang), "wrong")
    assert [e.value for e in teacher.sidebar.error] == [strings["passcode.wrong"]]
    teacher = enter(teacher, SECRET)
    assert not teacher.exception and not teacher.sidebar.text_input
    assert strings["passcode.unlocked"] in [c.value for c in teacher.sidebar.caption]
    teacher.button(key="train_start").click().run()
    assert launcher.current() is not None and not teacher.error

    student = train_page(lang)
    student.button(key="train_cancel").click().run()
    assert launcher.current() is not None  # still training
    assert strings["passcode.refused"] in [e.value for e in student.error]

    teacher.button(key="train_cancel").click().run()
    assert not teacher.exception and launcher.current() is None

    teacher.sidebar.button(key="passcode_lock").click().run()  # done: lock the tab again
    assert CATALOG[lang]["passcode.locked"] in [i.value for i in teacher.info] and teacher.sidebar.text_input


@pytest.mark.slow  # over 2 s here (several page runs; a trainer process)
@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_wrong_passcodes_are_rate_limited_per_server(room, monkeypatch, lang):
    monkeypatch.setenv(passcode.ENV, SECRET)
    at = train_page(lang)
    for _ in range(passcode.TRIES):
        enter(at, "guess")
    other = enter(train_page(lang), SECRET)  # another browser, the right passcode: refused for now
    wait = CATALOG[lang]["passcode.wait"].split("{")[0]
    assert [e.value for e in other.sidebar.error][0].startswith(wait)
    assert other.sidebar.text_input(key="passcode_input")  # still locked
