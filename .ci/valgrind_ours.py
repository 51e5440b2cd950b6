"""Fail if a valgrind memcheck log has an error or a definite leak whose stack
touches our code (the engine, _core, the dispatch queue). CPython's own
reports (it is not built for valgrind here) are counted but do not fail."""

import re
import sys

OURS = re.compile(r"(libagora_rtc_loopback|_core\.c|src/engine/|_dispatch\.h|_pacer|_vad)")
KIND = re.compile(r"(Invalid (read|write|free)|uninitialised|definitely lost|Mismatched free|overlap)")

log = open(sys.argv[1]).read()
blocks = re.split(r"==\d+== \n", log)
errors = [b for b in blocks if KIND.search(b)]
ours = [b for b in errors if OURS.search(b)]
print(f"valgrind: {len(errors)} reports in all, {len(ours)} involving agora_rtc")
for block in ours:
    print(block)
sys.exit(1 if ours else 0)
