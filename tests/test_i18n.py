"""The string catalog: both languages complete, nothing empty, and every key the code asks for
exists (a missing key would show the raw key on the projector)."""
import importlib
import pkgutil
import re
import string
from pathlib import Path

import pytest

import pages.strings
from core import recipes
from core.artifacts.log import Phase
from core.data.images import BadImageCode
from core.explainers import mechanics
from core.training.launcher import State
from pages.strings import CATALOG

REPO = Path(__file__).resolve().parents[1]
SOURCES = [REPO / "app.py", *sorted((REPO / "pages").glob("*.py"))]
LITERAL_KEY = re.compile(r"""\bt\(\s*(["'])([^"'{}]+)\1\s*[,)]""")  # t("key"), t('key', x=1); not f"..."
MODULES = [m.name for m in pkgutil.iter_modules(pages.strings.__path__)]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_both_languages_have_the_same_keys():
    assert set(CATALOG["en"]) == set(CATALOG["zh-TW"]), (
        set(CATALOG["en"]) ^ set(CATALOG["zh-TW"]))


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_no_empty_strings(lang):
    empty = [key for key, text in CATALOG[lang].items() if not isinstance(text, str) or not text.strip()]
    assert not empty


def test_placeholders_match_between_languages():
    """A {name} missing in one language would raise (or vanish) only in that language."""
    mismatched = {key: (_fields(text), _fields(CATALOG["zh-TW"][key]))
                  for key, text in CATALOG["en"].items() if _fields(text) != _fields(CATALOG["zh-TW"][key])}
    assert not mismatched


@pytest.mark.parametrize("module", [m for m in MODULES if m != "common"])
def test_page_keys_are_prefixed_by_their_module(module):
    strings = importlib.import_module(f"pages.strings.{module}").STRINGS
    assert set(strings) == {"en", "zh-TW"}
    stray = [key for key in strings["en"] if not key.startswith(f"{module}.")]
    assert not stray


def test_every_literal_key_in_the_code_exists():
    used = {(path.name, match.group(2)) for path in SOURCES
            for match in LITERAL_KEY.finditer(path.read_text(encoding="utf-8"))}
    assert len(used) > 50  # the scan really found the pages' keys
    missing = sorted((name, key) for name, key in used if key not in CATALOG["en"])
    assert not missing


def test_keys_built_at_run_time_exist():
    """The families the explainer pages format with a variable: t(f"components.kernel.{name}")..."""
    bad_image_codes = [code.value for code in BadImageCode]
    wanted = (
        [f"components.kernel.{name}" for name in mechanics.KERNEL_PRESETS]
        + [f"{family}.{code}" for family in ("components.bad_image", "predict.bad") for code in bad_image_codes]
        + [f"train.phase.{phase}" for phase in Phase] + ["train.phase.start"]
        + [f"train.state.{state}" for state in State]
        + [f"components.padding.{p}" for p in mechanics.PADDINGS]
        + [f"components.source.{s}" for s in ("digit", "photo", "grid")]
        + [f"components.channel.{c}" for c in ("grey", "R", "G", "B")]
        + [f"components.legend.{i}" for i in ("input", "kernel", "output", "window", "padding", "dropped")]
        + [f"recipe.{r}" for r in recipes.RECIPE_IDS]
        + [f"architecture.{kind}.{b}" for kind in ("base", "base_name") for b in recipes.BASES]
        + [f"architecture.{k}" for k in ("with_pooling", "without_pooling")]
        + [f"augmentation.{f}" for f in ("rotation_range", "width_shift_range", "height_shift_range",
                                         "shear_range", "zoom_range")]
        + [f"augmentation.source.{s}" for s in ("sample", "generated", "upload")]
        + [f"pooling.{kind}.{name}" for kind in ("fig", "value") for name in ("max", "average", "strided")]
    )
    assert not [key for key in wanted if key not in CATALOG["en"]]
