/* agora_local_user.h -- the local user of a connection: publishing, subscribing,
 * audio frame parameters and the local-user observer. */
#pragma once

#include "agora_base.h"
#include "agora_media_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 37 slots, in Agora's order (the official ctypes struct has the same order). */
typedef struct _local_user_observer {
  void (*on_audio_track_publish_success)(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_audio_track);
  void (*on_audio_track_publish_start)(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_audio_track);
  void (*on_audio_track_unpublished)(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_audio_track);
  void (*on_audio_track_publication_failure)(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_audio_track, int error);
  void (*on_local_audio_track_state_changed)(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_audio_track, int state, int error);
  void (*on_local_audio_track_statistics)(AGORA_HANDLE agora_local_user, const local_audio_stats* stats);
  void (*on_remote_audio_track_statistics)(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_remote_audio_track, const remote_audio_track_stats* stats);
  void (*on_user_audio_track_subscribed)(AGORA_HANDLE agora_local_user, user_id_t user_id, AGORA_HANDLE agora_remote_audio_track);
  void (*on_user_audio_track_state_changed)(AGORA_HANDLE agora_local_user, user_id_t user_id, AGORA_HANDLE agora_remote_audio_track, int state, int reason, int elapsed);
  void (*on_audio_subscribe_state_changed)(AGORA_HANDLE agora_local_user, const char* channel, user_id_t user_id, int old_state, int new_state, int elapse_since_last_state);
  void (*on_audio_publish_state_changed)(AGORA_HANDLE agora_local_user, const char* channel, int old_state, int new_state, int elapse_since_last_state);
  void (*on_first_remote_audio_frame)(AGORA_HANDLE agora_local_user, user_id_t user_id, int elapsed);
  void (*on_first_remote_audio_decoded)(AGORA_HANDLE agora_local_user, user_id_t user_id, int elapsed);
  void (*on_video_track_publish_success)(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_video_track);
  void (*on_video_track_publish_start)(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_video_track);
  void (*on_video_track_unpublished)(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_video_track);
  void (*on_video_track_publication_failure)(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_video_track, int error);
  void (*on_local_video_track_state_changed)(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_video_track, int state, int error);
  void (*on_local_video_track_statistics)(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_video_track, const local_video_track_stats* stats);
  void (*on_user_video_track_subscribed)(AGORA_HANDLE agora_local_user, user_id_t user_id, const video_track_info* info, AGORA_HANDLE agora_remote_video_track);
  void (*on_user_video_track_state_changed)(AGORA_HANDLE agora_local_user, user_id_t user_id, AGORA_HANDLE agora_remote_video_track, int state, int reason, int elapsed);
  void (*on_remote_video_track_statistics)(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_remote_video_track, const remote_video_track_stats* stats);
  void (*on_audio_volume_indication)(AGORA_HANDLE agora_local_user, const audio_volume_info* speakers, unsigned int speaker_number, int total_volume);
  void (*on_active_speaker)(AGORA_HANDLE agora_local_user, user_id_t user_id);
  void (*on_remote_video_stream_info_updated)(AGORA_HANDLE agora_local_user, const remote_video_stream_info* info);
  void (*on_video_subscribe_state_changed)(AGORA_HANDLE agora_local_user, const char* channel, user_id_t user_id, int old_state, int new_state, int elapse_since_last_state);
  void (*on_video_publish_state_changed)(AGORA_HANDLE agora_local_user, const char* channel, int old_state, int new_state, int elapse_since_last_state);
  void (*on_first_remote_video_frame)(AGORA_HANDLE agora_local_user, user_id_t user_id, int width, int height, int elapsed);
  void (*on_first_remote_video_decoded)(AGORA_HANDLE agora_local_user, user_id_t user_id, int width, int height, int elapsed);
  void (*on_first_remote_video_frame_rendered)(AGORA_HANDLE agora_local_user, user_id_t user_id, int width, int height, int elapsed);
  void (*on_video_size_changed)(AGORA_HANDLE agora_local_user, user_id_t user_id, int width, int height, int rotation);
  void (*on_user_info_updated)(AGORA_HANDLE agora_local_user, user_id_t user_id, int msg, int val);
  void (*on_intra_request_received)(AGORA_HANDLE agora_local_user);
  void (*on_remote_subscribe_fallback_to_audio_only)(AGORA_HANDLE agora_local_user, user_id_t user_id, int is_fallback_or_recover);
  void (*on_stream_message)(AGORA_HANDLE agora_local_user, user_id_t user_id, int stream_id, const char* data, size_t length);
  void (*on_user_state_changed)(AGORA_HANDLE agora_local_user, user_id_t user_id, uint32_t state);
  void (*on_audio_meta_data_received)(AGORA_HANDLE agora_local_user, user_id_t user_id, const char* meta_data, size_t length);
} local_user_observer;

AGORA_API_C_INT agora_local_user_publish_audio(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_audio_track);
AGORA_API_C_INT agora_local_user_unpublish_audio(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_audio_track);
AGORA_API_C_INT agora_local_user_subscribe_audio(AGORA_HANDLE agora_local_user, user_id_t user_id);
AGORA_API_C_INT agora_local_user_subscribe_all_audio(AGORA_HANDLE agora_local_user);
AGORA_API_C_INT agora_local_user_unsubscribe_audio(AGORA_HANDLE agora_local_user, user_id_t user_id);
AGORA_API_C_INT agora_local_user_unsubscribe_all_audio(AGORA_HANDLE agora_local_user);
AGORA_API_C_INT agora_local_user_set_playback_audio_frame_parameters(AGORA_HANDLE agora_local_user, int channels, int sample_rate_hz, int mode, int samples_per_call);
AGORA_API_C_INT agora_local_user_set_recording_audio_frame_parameters(AGORA_HANDLE agora_local_user, int channels, int sample_rate_hz, int mode, int samples_per_call);
AGORA_API_C_INT agora_local_user_set_mixed_audio_frame_parameters(AGORA_HANDLE agora_local_user, int channels, int sample_rate_hz, int samples_per_call);
AGORA_API_C_INT agora_local_user_set_playback_audio_frame_before_mixing_parameters(AGORA_HANDLE agora_local_user, int channels, int sample_rate_hz);
AGORA_API_C_INT agora_local_user_register_audio_frame_observer(AGORA_HANDLE agora_local_user, audio_frame_observer* observer);
AGORA_API_C_INT agora_local_user_unregister_audio_frame_observer(AGORA_HANDLE agora_local_user);
AGORA_API_C_INT agora_local_user_register_observer(AGORA_HANDLE agora_local_user, local_user_observer* observer);
AGORA_API_C_INT agora_local_user_unregister_observer(AGORA_HANDLE agora_local_user);
AGORA_API_C_INT agora_local_user_set_user_role(AGORA_HANDLE agora_local_user, int user_role);
AGORA_API_C_INT agora_local_user_get_user_role(AGORA_HANDLE agora_local_user);

AGORA_API_C_INT agora_local_user_set_audio_scenario(AGORA_HANDLE agora_local_user, int scenario);
AGORA_API_C_INT agora_local_user_set_audio_encoder_config(AGORA_HANDLE agora_local_user, const audio_encoder_config* config);
AGORA_API_C local_audio_detailed_stats* AGORA_CALL_C agora_local_user_get_local_audio_statistics(AGORA_HANDLE agora_local_user);
AGORA_API_C_VOID agora_local_user_destroy_local_audio_statistics(AGORA_HANDLE agora_local_user, local_audio_detailed_stats* stats);
AGORA_API_C_INT agora_local_user_adjust_playback_signal_volume(AGORA_HANDLE agora_local_user, int volume);
AGORA_API_C_INT agora_local_user_get_playback_signal_volume(AGORA_HANDLE agora_local_user, int* volume);
AGORA_API_C_INT agora_local_user_set_audio_volume_indication_parameters(AGORA_HANDLE agora_local_user, int interval_in_ms, int smooth,
                                                                        bool report_vad);
AGORA_API_C_INT agora_local_user_send_audio_meta_data(AGORA_HANDLE agora_local_user, const char* meta_data, size_t length);
AGORA_API_C_INT agora_local_user_publish_video(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_video_track);
AGORA_API_C_INT agora_local_user_unpublish_video(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_local_video_track);
AGORA_API_C_INT agora_local_user_subscribe_video(AGORA_HANDLE agora_local_user, user_id_t user_id, const video_subscription_options* options);
AGORA_API_C_INT agora_local_user_subscribe_all_video(AGORA_HANDLE agora_local_user, const video_subscription_options* options);
AGORA_API_C_INT agora_local_user_unsubscribe_video(AGORA_HANDLE agora_local_user, user_id_t user_id);
AGORA_API_C_INT agora_local_user_unsubscribe_all_video(AGORA_HANDLE agora_local_user);
AGORA_API_C_INT agora_local_user_register_video_frame_observer(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_video_frame_observer2);
AGORA_API_C_INT agora_local_user_unregister_video_frame_observer(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_video_frame_observer2);
AGORA_API_C_INT agora_local_user_register_video_encoded_frame_observer(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_video_encoded_frame_observer);
AGORA_API_C_INT agora_local_user_unregister_video_encoded_frame_observer(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_video_encoded_frame_observer);
AGORA_API_C_INT agora_local_user_send_intra_request(AGORA_HANDLE agora_local_user, user_id_t user_id);
AGORA_API_C_HDL agora_local_user_get_media_control_packet_sender(AGORA_HANDLE agora_local_user);
AGORA_API_C_INT agora_local_user_register_media_control_packet_receiver(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_media_control_packet_receiver);
AGORA_API_C_INT agora_local_user_unregister_media_control_packet_receiver(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_media_control_packet_receiver);
AGORA_API_C_HDL agora_local_user_capabilities_observer_create(capabilities_observer* observer);
AGORA_API_C_VOID agora_local_user_capabilities_observer_destory(AGORA_HANDLE agora_capabilities_observer);
AGORA_API_C_INT agora_local_user_register_capabilities_observer(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_capabilities_observer);
AGORA_API_C_INT agora_local_user_unregister_capabilities_observer(AGORA_HANDLE agora_local_user, AGORA_HANDLE agora_capabilities_observer);

#ifdef __cplusplus
}
#endif
