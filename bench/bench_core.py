"""Foundation figures (send cost, callback cost, latency): the package's own
benchmark, also available as ``agora-rtc bench``.

    python bench/bench_core.py [--callgrind]
"""

from agora_rtc.benchmark import main

if __name__ == "__main__":
    main()
