"""The catalog, merged from one module per page (each: STRINGS = {"en": {...}, "zh-TW": {...}})."""
from __future__ import annotations

import importlib
import pkgutil

CATALOG: dict[str, dict[str, str]] = {"en": {}, "zh-TW": {}}

for _module in pkgutil.iter_modules(__path__):
    _strings = importlib.import_module(f"{__name__}.{_module.name}").STRINGS
    for _lang, _entries in _strings.items():
        _clash = set(_entries) & set(CATALOG[_lang])
        if _clash:
            raise KeyError(f"catalog keys defined twice: {sorted(_clash)}")
        CATALOG[_lang].update(_entries)
