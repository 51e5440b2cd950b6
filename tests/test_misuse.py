"""Misuse, swept over every public method rather than picked by hand: after
release every call raises a clear exception (except the idempotent few), and
wrong argument types raise TypeError/ValueError -- never AttributeError from
inside the SDK, a crash or a hang (pytest-timeout is the watchdog)."""

import inspect
import threading

import pytest

from agora_rtc import (AgoraError, AudioVadConfigV2, AudioVadV2, IRTCConnectionObserver, RTCConnConfig,
                       SenderOptions)

# Methods that may return normally on a released object: removing what is not there is a no-op,
# and a local user keeps pointing at its (released) connection.
IDEMPOTENT = {"unregister_local_user_observer", "unregister_video_frame_observer",
              "unregister_video_encoded_frame_observer", "unregister_audio_encoded_frame_observer",
              "unregister_observer", "get_rtc_connection"}


def objects(service, channel):
    factory = service.create_media_node_factory()
    conn = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
    conn.connect("", channel, "1")
    pcm = factory.create_audio_pcm_data_sender()
    video = factory.create_video_frame_sender()
    encoded = factory.create_video_encoded_image_sender()
    audio_encoded = factory.create_audio_encoded_frame_sender()
    return {"connection": conn, "local user": conn.get_local_user(), "factory": factory, "pcm sender": pcm,
            "audio encoded sender": audio_encoded,
            "encoded audio track": service.create_custom_audio_track_encoded(audio_encoded, 1),
            "audio track": service.create_custom_audio_track_pcm(pcm), "video sender": video,
            "video track": service.create_custom_video_track_frame(video), "encoded sender": encoded,
            "encoded track": service.create_custom_video_track_encoded(encoded, SenderOptions())}


def public_methods(obj, skip=()):
    for name in dir(type(obj)):
        if name.startswith("_") or name in skip or isinstance(getattr(type(obj), name, None), property):
            continue
        method = getattr(obj, name)
        if not callable(method):
            continue
        try:
            params = [p for p in inspect.signature(method).parameters.values()
                      if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        except (TypeError, ValueError):  # a compiled method without a signature: one argument
            params = [None]
        yield name, method, len(params)


RELEASABLE = ("audio track", "video track", "encoded track", "encoded audio track", "pcm sender", "video sender",
              "encoded sender", "audio encoded sender", "connection", "factory")


def test_every_method_of_a_released_object_raises_clearly(service):
    objs = objects(service, "misuse-released")
    for name in RELEASABLE:
        objs[name].release()
    assert sweep_released(objs) > 80  # the sweep really covered the API


@pytest.mark.parametrize("where", ["another thread", "a dispatched callback", "an engine-thread callback"])
def test_released_objects_raise_clearly_from_anywhere(service, where):
    """The same sweep run off the main thread: from a plain thread, and from inside
    connection callbacks (dispatched, and direct on the engine thread)."""
    objs = objects(service, f"misuse-{where}")
    for name in RELEASABLE:
        objs[name].release()
    outcome = []
    done = threading.Event()

    def run():
        try:
            outcome.append(sweep_released(objs))
        except BaseException as e:  # noqa: BLE001 -- reported to the main thread
            outcome.append(e)
        done.set()

    if where == "another thread":
        threading.Thread(target=run, daemon=True).start()
    else:
        class OnJoin(IRTCConnectionObserver):
            def on_user_joined(self, conn, user_id):
                if not done.is_set() and not outcome:
                    run()
        watcher = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        watcher.register_observer(OnJoin())
        if where == "a dispatched callback":
            watcher.set_event_dispatcher(service.dispatcher)
        watcher.connect("", f"misuse-{where}-watch", "w")
        other = service.create_rtc_connection(RTCConnConfig(auto_subscribe_audio=1))
        other.connect("", f"misuse-{where}-watch", "o")
    assert done.wait(30), "the sweep hung"  # the watchdog
    assert not isinstance(outcome[0], BaseException), repr(outcome[0])
    assert outcome[0] > 80


def sweep_released(objs):
    calls = 0
    for kind, obj in objs.items():
        for name, method, nargs in public_methods(obj, skip={"release"}):
            calls += 1
            try:
                method(*(["2"] * nargs))
            except (ValueError, TypeError, AgoraError) as e:
                assert str(e), f"{kind}.{name}: an exception without a message"
            else:
                assert name in IDEMPOTENT, f"{kind}.{name}() returned normally on a released object"
        if hasattr(obj, "release"):
            obj.release()  # and releasing again is fine
    return calls


@pytest.mark.parametrize("wrong", [object(), 3.5, "x", None], ids=["object", "float", "str", "None"])
def test_wrong_argument_types_raise_type_or_value_errors(service, wrong):
    objs = objects(service, f"misuse-types-{type(wrong).__name__}")
    objs["vad"] = AudioVadV2(AudioVadConfigV2())
    skip = {"release", "disconnect", "connect", "unpublish_audio", "unpublish_video"}  # they need no bad input
    for kind, obj in objs.items():
        for name, method, nargs in public_methods(obj, skip):
            if nargs == 0:
                continue
            try:
                method(*([wrong] * nargs))
            except (TypeError, ValueError, AgoraError):
                pass
            except FileNotFoundError:
                assert name == "send_jpeg"  # a str is a path there, and "x" does not exist
    for obj in objs.values():
        if hasattr(obj, "release"):
            obj.release()


def test_text_with_nul_or_not_text_is_refused_not_cut_short(service):
    conn = service.create_rtc_connection(RTCConnConfig())
    conn.connect("", "nul-text", "1")
    user = conn.get_local_user()
    for call in (lambda: user.subscribe_audio("bob\0x"), lambda: user.unsubscribe_audio("bob\0x"),
                 lambda: conn.renew_token("tok\0en"), lambda: service.set_log_file("/tmp/a\0b.log")):
        with pytest.raises(ValueError, match="must not contain NUL characters"):
            call()  # was: "bob" subscribed, the rest of the text dropped without a word
    with pytest.raises(TypeError, match="token must be a str, not NoneType"):
        conn.renew_token(None)
    conn.release()


def test_video_arguments_that_would_overflow_are_refused(service):
    import numpy as np
    from agora_rtc import VideoPixelFormat
    sender = service.create_media_node_factory().create_video_frame_sender()
    with pytest.raises(ValueError, match="needs 4294967298 bytes, got 2"):  # 1.5 x the height wrapped a C int
        sender.send(b"\0\0", VideoPixelFormat.I420, 2, 1431655766)
    padded = np.zeros((12, 24), np.uint8)[:, :16]  # I420 16x8 as rows of 16 bytes, 24 apart
    with pytest.raises(ValueError, match="I420 arrays must have contiguous rows"):
        sender.send(padded, VideoPixelFormat.I420, 16, 8)  # the engine would read chroma past the buffer
    sender.release()


def test_a_native_vad_with_zero_frame_counts_is_refused():
    from agora_rtc._vad import NativeVad
    with pytest.raises(ValueError, match="VAD frame counts must be >= 1"):
        NativeVad(0, 0, 50, 77, True, 0.67, True)  # used to divide by zero at the first silence (SIGFPE)
