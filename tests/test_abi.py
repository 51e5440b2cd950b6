"""The C headers in include/agora_c/ lay structs out exactly as Agora's C API
does. Reference layouts are written here as ctypes structures from the public
ABI facts (field order and C types of Agora's headers and of the official
Python SDK's ctypes declarations); a small C program compiled against our
headers prints sizeof/offsetof, and both must agree field by field."""

import ctypes as C
import os
import shutil
import subprocess

import pytest

import agora_rtc

P = C.c_void_p
FN = C.c_void_p  # every observer slot is one function pointer


class audio_subscription_options(C.Structure):
    _fields_ = [("packet_only", C.c_int), ("pcm_data_only", C.c_int), ("bytes_per_sample", C.c_uint32),
                ("number_of_channels", C.c_uint32), ("sample_rate_hz", C.c_uint32)]


class color_space_type(C.Structure):
    _fields_ = [("primaries_id", C.c_int), ("transfer_id", C.c_int), ("matrix_id", C.c_int), ("range_id", C.c_int)]


class video_dimensions(C.Structure):
    _fields_ = [("width", C.c_int), ("height", C.c_int)]



ANA_STATS = [(n, C.c_uint32) for n in ("bitrate_action_counter", "channel_action_counter", "dtx_action_counter",
                                      "fec_action_counter", "frame_length_increase_counter",
                                      "frame_length_decrease_counter")] + [("uplink_packet_loss_fraction", C.c_float)]
APM_STATS = [("echo_return_loss", C.c_double), ("echo_return_loss_enhancement", C.c_double),
             ("divergent_filter_fraction", C.c_double), ("delay_median_ms", C.c_int32),
             ("delay_standard_deviation_ms", C.c_int32), ("residual_echo_likelihood", C.c_double),
             ("residual_echo_likelihood_recent_max", C.c_double), ("delay_ms", C.c_int32)]

REFERENCE = {
    "agora_service_config": [
        ("enable_audio_processor", C.c_int), ("enable_audio_device", C.c_int), ("enable_video", C.c_int),
        ("context", P), ("app_id", C.c_char_p), ("area_code", C.c_uint), ("channel_profile", C.c_int),
        ("audio_scenario", C.c_int), ("use_string_uid", C.c_int), ("domain_limit", C.c_int),
        ("log_level", C.c_int), ("log_file_path", C.c_char_p), ("log_file_size_kb", C.c_uint32),
        ("data_dir", C.c_char_p), ("config_dir", C.c_char_p)],
    "rtc_conn_config": [
        ("auto_subscribe_audio", C.c_int), ("auto_subscribe_video", C.c_int),
        ("enable_audio_recording_or_playout", C.c_int), ("max_send_bitrate", C.c_int), ("min_port", C.c_int),
        ("max_port", C.c_int), ("audio_subs_options", audio_subscription_options), ("client_role_type", C.c_int),
        ("channel_profile", C.c_int), ("audio_recv_media_packet", C.c_int), ("audio_recv_encoded_frame", C.c_int),
        ("video_recv_media_packet", C.c_int)],
    "rtc_conn_info": [
        ("id", C.c_uint), ("channel_id", C.c_char_p), ("state", C.c_int), ("local_user_id", C.c_char_p),
        ("internal_uid", C.c_uint)],
    "audio_frame": [
        ("type", C.c_int), ("samples_per_channel", C.c_int), ("bytes_per_sample", C.c_int), ("channels", C.c_int),
        ("samples_per_sec", C.c_int), ("buffer", P), ("render_time_ms", C.c_int64), ("avsync_type", C.c_int),
        ("presentation_ms", C.c_int64), ("audio_track_number", C.c_int), ("rtp_timestamp", C.c_uint32),
        ("far_field_flag", C.c_int), ("rms", C.c_int), ("voice_prob", C.c_int), ("music_prob", C.c_int),
        ("pitch", C.c_int)],
    "audio_params": [("sample_rate", C.c_int), ("channels", C.c_int), ("mode", C.c_int),
                     ("samples_per_call", C.c_int)],
    "rtc_conn_observer": [(name, FN) for name in (
        "on_connected on_disconnected on_connecting on_reconnecting on_reconnected on_connection_lost "
        "on_lastmile_quality on_lastmile_probe_result on_token_privilege_will_expire "
        "on_token_privilege_did_expire on_connection_license_validation_failure on_connection_failure "
        "on_user_joined on_user_left on_transport_stats on_change_role_success on_change_role_failure "
        "on_user_network_quality on_network_type_changed on_api_call_executed on_content_inspect_result "
        "on_snapshot_taken on_error on_warning on_channel_media_relay_state_changed on_local_user_registered "
        "on_user_account_updated on_stream_message_error on_encryption_error on_upload_log_result").split()],
    "local_user_observer": [(name, FN) for name in (
        "on_audio_track_publish_success on_audio_track_publish_start on_audio_track_unpublished "
        "on_audio_track_publication_failure on_local_audio_track_state_changed on_local_audio_track_statistics "
        "on_remote_audio_track_statistics on_user_audio_track_subscribed on_user_audio_track_state_changed "
        "on_audio_subscribe_state_changed on_audio_publish_state_changed on_first_remote_audio_frame "
        "on_first_remote_audio_decoded on_video_track_publish_success on_video_track_publish_start "
        "on_video_track_unpublished on_video_track_publication_failure on_local_video_track_state_changed "
        "on_local_video_track_statistics on_user_video_track_subscribed on_user_video_track_state_changed "
        "on_remote_video_track_statistics on_audio_volume_indication on_active_speaker "
        "on_remote_video_stream_info_updated on_video_subscribe_state_changed on_video_publish_state_changed "
        "on_first_remote_video_frame on_first_remote_video_decoded on_first_remote_video_frame_rendered "
        "on_video_size_changed on_user_info_updated on_intra_request_received "
        "on_remote_subscribe_fallback_to_audio_only on_stream_message on_user_state_changed "
        "on_audio_meta_data_received").split()],
    "external_video_frame": [
        ("type", C.c_int), ("format", C.c_int), ("buffer", P), ("stride", C.c_int), ("height", C.c_int),
        ("crop_left", C.c_int), ("crop_top", C.c_int), ("crop_right", C.c_int), ("crop_bottom", C.c_int),
        ("rotation", C.c_int), ("timestamp", C.c_longlong), ("egl_context", P), ("egl_type", C.c_int),
        ("texture_id", C.c_int), ("matrix", C.c_float * 16), ("metadata_buffer", P), ("metadata_size", C.c_int),
        ("alpha_buffer", P), ("fill_alpha_buffer", C.c_uint8), ("alpha_mode", C.c_int),
        ("color_space", color_space_type)],
    "video_frame": [
        ("type", C.c_int), ("width", C.c_int), ("height", C.c_int), ("y_stride", C.c_int), ("u_stride", C.c_int),
        ("v_stride", C.c_int), ("y_buffer", P), ("u_buffer", P), ("v_buffer", P), ("rotation", C.c_int),
        ("render_time_ms", C.c_int64), ("avsync_type", C.c_int), ("metadata_buffer", P), ("metadata_size", C.c_int),
        ("shared_context", P), ("texture_id", C.c_int), ("matrix", C.c_float * 16), ("alpha_buffer", P),
        ("alpha_mode", C.c_int)],
    "encoded_video_frame_info": [
        ("codec_type", C.c_int), ("width", C.c_int), ("height", C.c_int), ("frames_per_second", C.c_int),
        ("frame_type", C.c_int), ("rotation", C.c_int), ("track_id", C.c_int), ("capture_time_ms", C.c_int64),
        ("decode_time_ms", C.c_int64), ("uid", C.c_uint), ("stream_type", C.c_int)],
    "video_encoder_config": [
        ("codec_type", C.c_int), ("dimensions", video_dimensions), ("frame_rate", C.c_int), ("bitrate", C.c_int),
        ("min_bitrate", C.c_int), ("orientation_mode", C.c_int), ("degradation_preference", C.c_int),
        ("mirror_mode", C.c_int), ("encode_alpha", C.c_int)],
    "simulcast_stream_config": [("dimensions", video_dimensions), ("bitrate", C.c_int), ("framerate", C.c_int)],
    "sender_options": [("cc_mode", C.c_int), ("codec_type", C.c_int), ("target_bitrate", C.c_int)],
    "video_track_info": [
        ("is_local", C.c_int), ("owner_uid", C.c_uint), ("track_id", C.c_uint), ("channel_id", C.c_char_p),
        ("stream_type", C.c_int), ("codec_type", C.c_int), ("encoded_frame_only", C.c_int),
        ("source_type", C.c_int), ("observation_position", C.c_uint32)],
    "video_subscription_options": [("type", C.c_int), ("encoded_frame_only", C.c_int)],
    "video_frame_observer2": [("on_frame", FN)],
    "video_encoded_frame_observer": [("on_encoded_video_frame", FN)],
    "audio_frame_observer": [(name, FN) for name in (
        "on_record_audio_frame on_playback_audio_frame on_mixed_audio_frame on_ear_monitoring_audio_frame "
        "on_playback_audio_frame_before_mixing on_get_audio_frame_position on_get_playback_audio_frame_param "
        "on_get_record_audio_frame_param on_get_mixed_audio_frame_param "
        "on_get_ear_monitoring_audio_frame_param").split()],
    # audio sinks (the official ExternalAudioProcessor's AudioSinkWantesInner, AudioPcmFrameInner, AudioLabelInner)
    "audio_sink_wants": [("samples_per_sec", C.c_int), ("channels", C.c_uint32)],
    "audio_label": [("far_field_flag", C.c_int), ("rms", C.c_int), ("voice_prob", C.c_int), ("music_prob", C.c_int),
                    ("pitch", C.c_int)],
    "audio_pcm_frame": [
        ("capture_timestamp", C.c_uint32), ("samples_per_channel", C.c_uint32), ("sample_rate_hz", C.c_int),
        ("num_channels", C.c_uint32), ("bytes_per_sample", C.c_uint32), ("data", C.c_int16 * 3840),
        ("audio_label", type("audio_label", (C.Structure,), {"_fields_": [(n, C.c_int) for n in (
            "far_field_flag", "rms", "voice_prob", "music_prob", "pitch")]}))],
    "audio_sink": [("on_audio_sink_data", FN), ("user_data", P)],
    # statistics (the official LocalAudioStatsInner, RemoteAudioTrackStatsInner, LocalVideoTrackStatsInner,
    # RemoteVideoTrackStatsInner): the engine hands them to the track statistics callbacks
    "local_audio_stats": [("num_channels", C.c_int), ("sent_sample_rate", C.c_int), ("sent_bitrate", C.c_int),
                          ("internal_codec", C.c_int), ("voice_pitch", C.c_double)],
    "remote_audio_track_stats": [("uid", C.c_uint)] + [(n, C.c_int) for n in (
        "quality network_transport_delay jitter_buffer_delay audio_loss_rate num_channels received_sample_rate "
        "received_bitrate total_frozen_time frozen_rate").split()] + [("received_bytes", C.c_int64)],
    "local_video_track_stats": [(n, C.c_uint64) for n in ("number_of_streams", "bytes_major_stream",
                                                          "bytes_minor_stream")]
    + [(n, C.c_uint32) for n in ("frames_encoded", "ssrc_major_stream", "ssrc_minor_stream")]
    + [(n, C.c_int) for n in (
        "capture_frame_rate regulated_capture_frame_rate input_frame_rate encode_frame_rate render_frame_rate "
        "target_media_bitrate_bps media_bitrate_bps total_bitrate_bps capture_width capture_height "
        "regulated_capture_width regulated_capture_height width height").split()]
    + [("encoder_type", C.c_uint32), ("uplink_cost_time_ms", C.c_uint32), ("quality_adapt_indication", C.c_int)],
    # the official LocalAudioDetailedStatsInner with its AnaStatsInner and AudioProcessingStatsInner
    "ana_stats": ANA_STATS,
    "audio_processing_stats": APM_STATS,
    "local_audio_detailed_stats": [
        ("local_ssrc", C.c_uint32), ("bytes_sent", C.c_int64), ("packets_sent", C.c_int32), ("packets_lost", C.c_int32),
        ("fraction_lost", C.c_float), ("codec_name", C.c_char * 100), ("codec_payload_type", C.c_int),
        ("ext_seqnum", C.c_int32), ("jitter_ms", C.c_int32), ("rtt_ms", C.c_int64), ("audio_level", C.c_int32),
        ("total_input_energy", C.c_double), ("total_input_duration", C.c_double), ("typing_noise_detected", C.c_int),
        ("ana_statistics", type("ana_stats", (C.Structure,), {"_fields_": ANA_STATS})),
        ("apm_statistics", type("audio_processing_stats", (C.Structure,), {"_fields_": APM_STATS}))],
    "remote_video_track_stats": [("uid", C.c_uint)] + [(n, C.c_int) for n in (
        "delay width height received_bitrate decoder_output_frame_rate renderer_output_frame_rate frame_loss_rate "
        "packet_loss_rate rx_stream_type total_frozen_time frozen_rate").split()]
    + [("total_decoded_frames", C.c_uint32), ("av_sync_time_ms", C.c_int), ("downlink_process_time_ms", C.c_uint32),
       ("frame_render_delay_ms", C.c_uint32), ("total_active_time", C.c_uint64), ("publish_duration", C.c_uint64)],
    # on_remote_video_stream_info_updated (the official RemoteVideoStreamInfoInner) and on_change_role_success
    "remote_video_stream_info": [("uid", C.c_uint), ("stream_type", C.c_uint8), ("current_downscale_level", C.c_uint8),
                                 ("total_downscale_level_counts", C.c_uint8)],
    "client_role_options": [("audience_latency_level", C.c_int)],
}

HEADERS = ["agora_service.h", "agora_rtc_conn.h", "agora_local_user.h", "agora_media_base.h", "agora_video_track.h"]


@pytest.fixture(scope="module")
def c_layouts(tmp_path_factory):
    cc = shutil.which(os.environ.get("CC", "cc")) or shutil.which("gcc") or shutil.which("clang")
    assert cc, "a C compiler is needed to check the headers (the package build needs one too)"
    src = ["#include <stdio.h>", "#include <stddef.h>"] + [f'#include "agora_c/{h}"' for h in HEADERS]
    src.append("int main(void) {")
    for struct, fields in REFERENCE.items():
        src.append(f'  printf("{struct} sizeof %zu\\n", sizeof({struct}));')
        for name, _ in fields:
            src.append(f'  printf("{struct} {name} %zu\\n", offsetof({struct}, {name}));')
    src.append("  return 0;\n}")
    tmp = tmp_path_factory.mktemp("abi")
    (tmp / "layout.c").write_text("\n".join(src))
    subprocess.run([cc, "-std=c11", "-Wall", "-Werror", f"-I{agora_rtc.get_include()}", "-o", str(tmp / "layout"),
                    str(tmp / "layout.c")], check=True)
    out = subprocess.run([str(tmp / "layout")], check=True, capture_output=True, text=True).stdout
    table = {}
    for line in out.splitlines():
        struct, field, value = line.split()
        table[(struct, field)] = int(value)
    return table


@pytest.mark.parametrize("struct", sorted(REFERENCE))
def test_struct_layout_matches_agora(c_layouts, struct):
    ref = type(struct, (C.Structure,), {"_fields_": REFERENCE[struct]})
    assert c_layouts[(struct, "sizeof")] == C.sizeof(ref), f"sizeof({struct})"
    for name, _ in REFERENCE[struct]:
        assert c_layouts[(struct, name)] == getattr(ref, name).offset, f"{struct}.{name}"


def test_observer_slot_counts():
    # Agora's connection observer has 30 slots (the official ctypes struct
    # declares 31 with on_encryption_error twice; engines read only 30).
    assert len(REFERENCE["rtc_conn_observer"]) == 30
    assert len(REFERENCE["local_user_observer"]) == 37
    assert len(REFERENCE["audio_frame_observer"]) == 10
