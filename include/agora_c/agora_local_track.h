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

#ifdef __cplusplus
}
#endif
