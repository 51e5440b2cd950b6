"""What the send/receive examples share: the official examples' connection
flags, a service around the run, and real-time pacing."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from agora_rtc import AgoraService, AgoraServiceConfig

T = TypeVar("T")


def example_parser(doc: str | None, user_id: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--appId", default="loopback-app")
    p.add_argument("--token", default="")
    p.add_argument("--channelId", default="demo")
    p.add_argument("--userId", default=user_id)
    return p


def run_example(parser: argparse.ArgumentParser, body: Callable[[argparse.Namespace, AgoraService], T],
                enable_video: bool = False) -> T:
    """Parse the flags, then body(args, service) with an initialized service released after."""
    args = parser.parse_args()
    with AgoraService() as service:
        service.initialize(AgoraServiceConfig(appid=args.appId, enable_video=int(enable_video)))
        return body(args, service)


def paced(count: int, interval: float) -> Iterator[int]:
    """0 .. count-1, each one yielded at start + i * interval: sends at real-time pace."""
    start = time.perf_counter()
    for i in range(count):
        delay = start + i * interval - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        yield i
