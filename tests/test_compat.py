"""The official SDK's names on agora_rtc: every public class and method of
Agora's official Python SDK (its PyPI sdist, read with ast, never imported
here) exists under agora_rtc.compat with the same module layout, or is listed
in docs/compat.md with the reason. Prints the coverage."""

import ast
import importlib
import os

import pytest

from agora_rtc import official

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def official_api():
    """{module: {class: [public methods]}} of the official agora.rtc package."""
    package = os.path.join(str(official.prepare()), "agora", "rtc")
    api = {}
    for folder, _, files in os.walk(package):
        if "_ctypes_handle" in folder or "_utils" in folder:
            continue  # its private ctypes plumbing
        for name in sorted(files):
            if not name.endswith(".py") or name.startswith("_"):
                continue
            path = os.path.join(folder, name)
            module = os.path.relpath(path, package)[:-3].replace(os.sep, ".")
            tree = ast.parse(open(path, encoding="utf-8").read())
            classes = {c.name: [f.name for f in c.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                                and not f.name.startswith("_")]
                       for c in tree.body if isinstance(c, ast.ClassDef) and not c.name.startswith("_")}
            if classes:
                api[module] = classes
    return api


def documented_gaps():
    """Names docs/compat.md explains: each `Name` or `Class.method` in backticks."""
    import re
    text = open(os.path.join(ROOT, "docs", "compat.md"), encoding="utf-8").read()
    return set(re.findall(r"`([A-Za-z_][\w.]*)`", text))


def test_every_official_name_exists_or_is_documented():
    gaps, documented = [], documented_gaps()
    classes = methods = classes_ok = methods_ok = 0
    for module, api in official_api().items():
        try:
            ours = importlib.import_module(f"agora_rtc.compat.{module}")
        except ImportError:
            ours = None
        for cls, names in api.items():
            classes += 1
            methods += len(names)
            target = getattr(ours, cls, None)
            if target is None:
                gaps.append(cls)
                continue
            classes_ok += 1
            for name in names:
                if hasattr(target, name):
                    methods_ok += 1
                else:
                    gaps.append(f"{cls}.{name}")
    print(f"\nofficial API on agora_rtc.compat: classes {classes_ok}/{classes} ({100 * classes_ok / classes:.0f}%), "
          f"methods {methods_ok}/{methods} ({100 * methods_ok / methods:.0f}%)")
    undocumented = sorted(g for g in gaps if g not in documented)
    assert not undocumented, f"official names neither implemented nor explained in docs/compat.md: {undocumented}"


@pytest.mark.parametrize("module", ["agora_base", "agora_service", "rtc_connection", "local_user", "voice_detection",
                                    "utils.audio_consumer", "utils.vad_dump", "video_frame_sender"])
def test_compat_names_are_agora_rtc_objects(module):
    """Re-exports, not copies: the compat names are the classes agora_rtc's own modules define."""
    import agora_rtc
    ours = importlib.import_module(f"agora_rtc.compat.{module}")
    for name in ours.__all__:
        obj = getattr(ours, name)
        assert obj.__module__.startswith("agora_rtc.") and not obj.__module__.startswith("agora_rtc.compat"), name
        if hasattr(agora_rtc, name):
            assert obj is getattr(agora_rtc, name), f"{module}.{name} is not agora_rtc.{name}"
