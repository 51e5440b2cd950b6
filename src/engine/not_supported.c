/* not_supported.c -- the rest of Agora's C API, exported so that every program
 * written against it (the official Python SDK binds all of it at import) loads
 * and runs its audio paths on the loopback engine. Each call here refuses with
 * -ERR_NOT_SUPPORTED (or returns NULL for a handle, does nothing for a destroy)
 * until its feature lands: detailed local audio statistics (issue 7), capabilities (issue 11). Audio sinks
 * and the audio processing filter live in audio_sink.c. Arguments are never dereferenced here. */
#include "engine.h"

/* Nothing here reads its arguments. */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#define REFUSED return -ERR_NOT_SUPPORTED

/* ---- per-track encoded image receivers ---- */
AGORA_API_C_INT agora_remote_video_track_register_video_encoded_image_receiver(AGORA_HANDLE t, AGORA_HANDLE r) { REFUSED; }
AGORA_API_C_INT agora_remote_video_track_unregister_video_encoded_image_receiver(AGORA_HANDLE t, AGORA_HANDLE r) { REFUSED; }
AGORA_API_C_VOID agora_video_encoded_image_receiver_destroy(AGORA_HANDLE r) {}

/* ---- detailed local audio statistics (issue 7) ---- */

/* ---- 2.4 connection API extras (issue 11) ---- */
AGORA_API_C_HDL agora_local_user_capabilities_observer_create(capabilities_observer* o) { return NULL; }
AGORA_API_C_VOID agora_local_user_capabilities_observer_destory(AGORA_HANDLE o) {}
AGORA_API_C_INT agora_local_user_register_capabilities_observer(AGORA_HANDLE u, AGORA_HANDLE o) { REFUSED; }
AGORA_API_C_INT agora_local_user_unregister_capabilities_observer(AGORA_HANDLE u, AGORA_HANDLE o) { REFUSED; }

/* ---- device-side features a server engine does not have ---- */
AGORA_API_C_HDL agora_local_user_get_media_control_packet_sender(AGORA_HANDLE u) { return NULL; }
AGORA_API_C_INT agora_local_user_register_media_control_packet_receiver(AGORA_HANDLE u, AGORA_HANDLE r) { REFUSED; }
AGORA_API_C_INT agora_local_user_unregister_media_control_packet_receiver(AGORA_HANDLE u, AGORA_HANDLE r) { REFUSED; }
