"""Build: the loopback engine (a plain C shared library shipped inside the
package) and the Cython core. Metadata lives in pyproject.toml."""

import os
import sys
from glob import glob

import numpy
from Cython.Build import cythonize
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

ENGINE_SOURCES = sorted(glob("src/engine/*.c"))
ENGINE_NAME = "libagora_rtc_loopback" + (".dylib" if sys.platform == "darwin" else ".so")
SANITIZE = os.environ.get("AGORA_RTC_SANITIZE")  # e.g. "address,undefined"


def _c_flags():
    flags = ["-std=c11", "-O2", "-fPIC", "-fvisibility=hidden", "-Wall", "-Wextra", "-D_GNU_SOURCE"]
    if os.environ.get("AGORA_RTC_WERROR"):
        flags.append("-Werror")
    if SANITIZE:
        flags += [f"-fsanitize={SANITIZE}", "-fno-omit-frame-pointer", "-g"]
    return flags


def _without_rpath(command):
    """A link command without -rpath flags: some Pythons (pyenv) put their own
    lib dir there, which must not leak into wheels."""
    out, skip = [], False
    for arg in command:
        if skip:
            skip = False
            continue
        if arg in ("-rpath", "-Wl,-rpath"):
            skip = True
            continue
        if arg.startswith(("-Wl,-rpath", "-Wl,-R", "-Wl,--enable-new-dtags")):
            continue
        out.append(arg)
    return out


class BuildWithEngine(build_ext):
    """Builds the engine library next to the extension modules."""

    def build_extensions(self):
        self.compiler.linker_so = _without_rpath(self.compiler.linker_so)
        if getattr(self.compiler, "linker_so_cxx", None):
            self.compiler.linker_so_cxx = _without_rpath(self.compiler.linker_so_cxx)
        super().build_extensions()

    def run(self):
        super().run()
        self.build_engine()
        self.copy_headers()

    def copy_headers(self):
        """Ship the C headers (agora_rtc.get_include()) for C extensions and ABI checks."""
        if self.inplace:
            return  # editable: get_include() finds include/ in the source tree
        out_dir = os.path.join(self.build_lib, "agora_rtc", "include", "agora_c")
        os.makedirs(out_dir, exist_ok=True)
        for header in glob("include/agora_c/*.h"):
            self.copy_file(header, out_dir)

    def build_engine(self):
        out_dir = os.path.join(self.build_lib, "agora_rtc")
        if self.inplace:
            out_dir = os.path.join("src", "agora_rtc")
        os.makedirs(out_dir, exist_ok=True)
        objects = self.compiler.compile(
            ENGINE_SOURCES,
            output_dir=os.path.join(self.build_temp, "engine"),
            include_dirs=["include"],
            extra_postargs=_c_flags(),
        )
        link_args = ["-lpthread", "-lm", "-lz"]
        if sys.platform == "darwin":
            link_args += ["-Wl,-install_name,@rpath/" + ENGINE_NAME]
        if SANITIZE:
            link_args.append(f"-fsanitize={SANITIZE}")
        self.compiler.link_shared_object(
            objects, ENGINE_NAME, output_dir=out_dir, extra_postargs=link_args
        )


core = Extension(
    "agora_rtc._core",
    ["src/agora_rtc/_core.pyx"],
    include_dirs=["include", numpy.get_include()],
    define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
    extra_compile_args=["-O2"] + (["-fsanitize=" + SANITIZE, "-g"] if SANITIZE else []),
    extra_link_args=["-ldl"] + (["-fsanitize=" + SANITIZE] if SANITIZE else []),
)

vad = Extension(
    "agora_rtc._vad",
    ["src/agora_rtc/_vad.pyx"],
    include_dirs=["src/agora_rtc"],
    extra_compile_args=["-O2"] + (["-fsanitize=" + SANITIZE, "-g"] if SANITIZE else []),
    extra_link_args=(["-fsanitize=" + SANITIZE] if SANITIZE else []),
)

setup(
    ext_modules=cythonize([core, vad], compiler_directives={"language_level": 3}, include_path=["src/agora_rtc"]),
    cmdclass={"build_ext": BuildWithEngine},
)
