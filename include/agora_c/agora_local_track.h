/* agora_local_track.h -- local audio tracks. */
#pragma once

#include "agora_base.h"

#ifdef __cplusplus
extern "C" {
#endif

AGORA_API_C_VOID agora_local_audio_track_destroy(AGORA_HANDLE agora_local_audio_track);
AGORA_API_C_INT agora_local_audio_track_set_enabled(AGORA_HANDLE agora_local_audio_track, int enable);
AGORA_API_C_INT agora_local_audio_track_is_enabled(AGORA_HANDLE agora_local_audio_track, int* enabled);
AGORA_API_C_INT agora_local_audio_track_get_state(AGORA_HANDLE agora_local_audio_track);
AGORA_API_C_INT agora_local_audio_track_set_max_bufferd_frame_number(AGORA_HANDLE agora_local_audio_track, int number);
AGORA_API_C_INT agora_local_audio_track_clear_sender_buffer(AGORA_HANDLE agora_local_audio_track);

AGORA_API_C_INT agora_local_audio_track_adjust_publish_volume(AGORA_HANDLE agora_local_audio_track, int volume);
AGORA_API_C_INT agora_local_audio_track_get_publish_volume(AGORA_HANDLE agora_local_audio_track, int* volume);
AGORA_API_C_INT agora_local_audio_track_enable_local_playback(AGORA_HANDLE agora_local_audio_track, int enable);
AGORA_API_C_INT agora_local_audio_track_enable_ear_monitor(AGORA_HANDLE agora_local_audio_track, int enable, int include_audio_filter);
AGORA_API_C_VOID agora_local_audio_track_set_send_delay_ms(AGORA_HANDLE agora_local_audio_track, int delay_ms);
AGORA_API_C_INT agora_local_audio_track_set_total_extra_send_ms(AGORA_HANDLE agora_local_audio_track, uint64_t total_extra_ms);
AGORA_API_C_INT agora_audio_track_enable_audio_filter(AGORA_HANDLE agora_audio_track, const char* name, int enable, int position);
AGORA_API_C_INT agora_audio_track_set_filter_property(AGORA_HANDLE agora_audio_track, const char* name, const char* key,
                                                      const char* json_value, int position);
AGORA_API_C_HDL agora_audio_sink_create(audio_sink* sink);
AGORA_API_C_VOID agora_audio_sink_destroy(AGORA_HANDLE agora_audio_sink);
AGORA_API_C_INT agora_audio_track_add_audio_sink(AGORA_HANDLE agora_audio_track, AGORA_HANDLE agora_audio_sink,
                                                 const audio_sink_wants* wants);

/* Remote tracks */
AGORA_API_C_INT agora_remote_audio_track_get_state(AGORA_HANDLE agora_remote_audio_track);
AGORA_API_C remote_audio_track_stats* AGORA_CALL_C agora_remote_audio_track_get_statistics(AGORA_HANDLE agora_remote_audio_track);
AGORA_API_C_VOID agora_remote_audio_track_destroy_statistics(AGORA_HANDLE agora_remote_audio_track, remote_audio_track_stats* stats);

#ifdef __cplusplus
}
#endif
