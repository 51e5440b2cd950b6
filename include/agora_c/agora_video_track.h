/* agora_video_track.h -- local and remote video tracks and video observers. */
#pragma once

#include "agora_base.h"
#include "agora_media_base.h"

#ifdef __cplusplus
extern "C" {
#endif

AGORA_API_C_HDL agora_local_video_track_destroy(AGORA_HANDLE agora_local_video_track);
AGORA_API_C_INT agora_local_video_track_set_enabled(AGORA_HANDLE agora_local_video_track, int enable);
AGORA_API_C_INT agora_local_video_track_get_state(AGORA_HANDLE agora_local_video_track);
AGORA_API_C_INT agora_local_video_track_set_video_encoder_config(AGORA_HANDLE agora_local_video_track, const video_encoder_config* config);
AGORA_API_C_INT agora_local_video_track_enable_simulcast_stream(AGORA_HANDLE agora_local_video_track, int enabled,
                                                                const simulcast_stream_config* config);
AGORA_API_C local_video_track_stats* AGORA_CALL_C agora_local_video_track_get_statistics(AGORA_HANDLE agora_local_video_track);
AGORA_API_C_VOID agora_local_video_track_destroy_statistics(AGORA_HANDLE agora_local_video_track, local_video_track_stats* stats);

AGORA_API_C_INT agora_remote_video_track_get_state(AGORA_HANDLE agora_remote_video_track);
AGORA_API_C remote_video_track_stats* AGORA_CALL_C agora_remote_video_track_get_statistics(AGORA_HANDLE agora_remote_video_track);
AGORA_API_C_VOID agora_remote_video_track_destroy_statistics(AGORA_HANDLE agora_remote_video_track, remote_video_track_stats* stats);
AGORA_API_C video_track_info* AGORA_CALL_C agora_remote_video_track_get_track_info(AGORA_HANDLE agora_remote_video_track);
AGORA_API_C_VOID agora_remote_video_track_destroy_track_info(AGORA_HANDLE agora_remote_video_track, video_track_info* info);
AGORA_API_C_INT agora_remote_video_track_register_video_encoded_image_receiver(AGORA_HANDLE agora_remote_video_track,
                                                                               AGORA_HANDLE agora_video_encoded_image_receiver);
AGORA_API_C_INT agora_remote_video_track_unregister_video_encoded_image_receiver(AGORA_HANDLE agora_remote_video_track,
                                                                                 AGORA_HANDLE agora_video_encoded_image_receiver);
AGORA_API_C_VOID agora_video_encoded_image_receiver_destroy(AGORA_HANDLE agora_video_encoded_image_receiver);

AGORA_API_C_HDL agora_video_frame_observer2_create(video_frame_observer2* observer);
AGORA_API_C_VOID agora_video_frame_observer2_destroy(AGORA_HANDLE agora_video_frame_observer2);
AGORA_API_C_INT agora_video_frame_observer_get_rotation_applied(AGORA_HANDLE agora_video_frame_observer);
AGORA_API_C_HDL agora_video_encoded_frame_observer_create(video_encoded_frame_observer* observer);
AGORA_API_C_VOID agora_video_encoded_frame_observer_destroy(AGORA_HANDLE agora_video_encoded_frame_observer);

#ifdef __cplusplus
}
#endif
