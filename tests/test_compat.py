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


# Methods whose arguments differ on purpose (docs/compat.md): they take the bytes, not a raw address and size.
TAKES_BYTES = {"AudioEncodedFrameSender.send_encoded_audio_frame", "VideoEncodedImageSender.send_encoded_video_image"}


def official_parameters():
    """{(module, class, method): (names, required)} of the official public methods (self left out)."""
    package = os.path.join(str(official.prepare()), "agora", "rtc")
    out = {}
    for module, api in official_api().items():
        path = os.path.join(package, module.replace(".", os.sep) + ".py")
        tree = ast.parse(open(path, encoding="utf-8").read())
        for c in tree.body:
            if isinstance(c, ast.ClassDef) and c.name in api:
                for f in c.body:
                    if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)) and f.name in api[c.name]:
                        names = [a.arg for a in f.args.args][1:]
                        out[(module, c.name, f.name)] = (names, len(names) - len(f.args.defaults))
    return out


def test_official_calls_bind_to_our_methods():
    """What the official API lets a caller write also works here: the same number
    of positional arguments, and every official parameter name as a keyword. The
    observer interfaces are left out: we call those, with positional arguments."""
    import inspect
    wrong, checked = [], 0
    for (module, cls, name), (names, required) in official_parameters().items():
        if cls.startswith("I") and cls[1].isupper() or f"{cls}.{name}" in TAKES_BYTES:
            continue
        try:
            target = getattr(importlib.import_module(f"agora_rtc.compat.{module}"), cls, None)
        except ImportError:
            continue  # a gap; the test above has it
        method = getattr(target, name, None)
        if method is None:
            continue
        signature = inspect.signature(method)
        params = [p for p in signature.parameters.values() if p.name != "self"]
        signature = signature.replace(parameters=params)
        by_kw = any(p.kind == p.VAR_KEYWORD for p in params)
        ours = {p.name for p in params if p.kind != p.POSITIONAL_ONLY}
        checked += 1
        for n in (required, len(names)):
            try:
                signature.bind(*([None] * n))
            except TypeError as e:
                wrong.append(f"{cls}.{name} with {n} positional arguments: {e}")
        missing = [n for n in names if n not in ours and not by_kw]
        if missing:
            wrong.append(f"{cls}.{name} has no parameter {missing} (official {names})")
    print(f"\nofficial call forms checked: {checked} methods")
    assert not wrong, "\n".join(wrong)


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


def official_module_imports():
    """{module: [(imported module, names or None for *)]}: the official modules' top-level sibling imports."""
    package = os.path.join(str(official.prepare()), "agora", "rtc")
    imports = {}
    for name in sorted(os.listdir(package)):
        if not name.endswith(".py") or name.startswith("_"):
            continue
        tree = ast.parse(open(os.path.join(package, name), encoding="utf-8").read())
        found = [(node.module, None if node.names[0].name == "*" else [a.name for a in node.names])
                 for node in tree.body if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
                 and not node.module.startswith("_")]
        imports[name[:-3]] = found
    return imports


def test_official_imports_resolve_from_the_same_compat_module():
    # `from agora.rtc.agora_service import AgoraServiceConfig, RTCConnConfig` works on the official SDK because
    # agora_service star-imports agora_base: the same line against agora_rtc.compat must work too
    checked = 0
    for module, imports in official_module_imports().items():
        try:
            ours = importlib.import_module(f"agora_rtc.compat.{module}")
        except ImportError:
            continue  # a module we do not provide is listed by the test above
        for source, names in imports:
            try:
                theirs = importlib.import_module(f"agora_rtc.compat.{source}")
            except ImportError:
                continue
            for name in names if names is not None else theirs.__all__:
                if hasattr(theirs, name):
                    assert hasattr(ours, name), f"from agora_rtc.compat.{module} import {name}"
                    checked += 1
    assert checked > 300
