/* agora_base.h -- basic types, error codes and enums of Agora's C API ("api2").
 *
 * Our own declarations of the public ABI facts: names, widths and values match
 * Agora's C headers, so the engine and _core agree with Agora's library. */
#pragma once

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#define AGORA_API_C __declspec(dllexport)
#else
#define AGORA_API_C __attribute__((visibility("default")))
#endif
#define AGORA_CALL_C
#define AGORA_API_C_INT AGORA_API_C int AGORA_CALL_C
#define AGORA_API_C_VOID AGORA_API_C void AGORA_CALL_C
#define AGORA_API_C_HDL AGORA_API_C void* AGORA_CALL_C

typedef void* AGORA_HANDLE;
#include <sys/types.h>  /* POSIX uid_t is unsigned int too; C11 allows the same typedef again */
typedef unsigned int uid_t;
typedef unsigned int track_id_t;
typedef unsigned int conn_id_t;
typedef const char* user_id_t;

/* ERROR_CODE_TYPE. The C API returns 0 on success and -code on failure. */
enum {
  ERR_OK = 0,
  ERR_FAILED = 1,
  ERR_INVALID_ARGUMENT = 2,
  ERR_NOT_READY = 3,
  ERR_NOT_SUPPORTED = 4,
  ERR_REFUSED = 5,
  ERR_BUFFER_TOO_SMALL = 6,
  ERR_NOT_INITIALIZED = 7,
  ERR_INVALID_STATE = 8,
  ERR_NO_PERMISSION = 9,
  ERR_TIMEDOUT = 10,
  ERR_CANCELED = 11,
  ERR_TOO_OFTEN = 12,
  ERR_JOIN_CHANNEL_REJECTED = 17,
  ERR_LEAVE_CHANNEL_REJECTED = 18,
  ERR_ALREADY_IN_USE = 19,
  ERR_ABORTED = 20,
  ERR_RESOURCE_LIMITED = 22,
  ERR_INVALID_APP_ID = 101,
  ERR_INVALID_CHANNEL_NAME = 102,
  ERR_TOKEN_EXPIRED = 109,
  ERR_INVALID_TOKEN = 110,
  ERR_CONNECTION_INTERRUPTED = 111,
  ERR_CONNECTION_LOST = 112,
  ERR_NOT_IN_CHANNEL = 113,
  ERR_SIZE_TOO_LARGE = 114,
  ERR_TOO_MANY_DATA_STREAMS = 116,
  ERR_STREAM_MESSAGE_TIMEOUT = 117,
  ERR_INVALID_USER_ID = 121,
};

/* CONNECTION_STATE_TYPE */
enum {
  CONNECTION_STATE_DISCONNECTED = 1,
  CONNECTION_STATE_CONNECTING = 2,
  CONNECTION_STATE_CONNECTED = 3,
  CONNECTION_STATE_RECONNECTING = 4,
  CONNECTION_STATE_FAILED = 5,
};

/* CONNECTION_CHANGED_REASON_TYPE */
enum {
  CONNECTION_CHANGED_CONNECTING = 0,
  CONNECTION_CHANGED_JOIN_SUCCESS = 1,
  CONNECTION_CHANGED_INTERRUPTED = 2,
  CONNECTION_CHANGED_BANNED_BY_SERVER = 3,
  CONNECTION_CHANGED_JOIN_FAILED = 4,
  CONNECTION_CHANGED_LEAVE_CHANNEL = 5,
  CONNECTION_CHANGED_INVALID_APP_ID = 6,
  CONNECTION_CHANGED_INVALID_CHANNEL_NAME = 7,
  CONNECTION_CHANGED_INVALID_TOKEN = 8,
  CONNECTION_CHANGED_TOKEN_EXPIRED = 9,
  CONNECTION_CHANGED_REJECTED_BY_SERVER = 10,
  CONNECTION_CHANGED_RENEW_TOKEN = 12,
  CONNECTION_CHANGED_KEEP_ALIVE_TIMEOUT = 14,
  CONNECTION_CHANGED_REJOIN_SUCCESS = 15,
  CONNECTION_CHANGED_LOST = 16,
  CONNECTION_CHANGED_SAME_UID_LOGIN = 19,
};

/* USER_OFFLINE_REASON_TYPE */
enum {
  USER_OFFLINE_QUIT = 0,
  USER_OFFLINE_DROPPED = 1,
  USER_OFFLINE_BECOME_AUDIENCE = 2,
};

/* CLIENT_ROLE_TYPE */
enum {
  CLIENT_ROLE_BROADCASTER = 1,
  CLIENT_ROLE_AUDIENCE = 2,
};

/* LOCAL_AUDIO_STREAM_STATE (agora_local_audio_track_get_state) */
enum {
  LOCAL_AUDIO_STREAM_STATE_STOPPED = 0,
  LOCAL_AUDIO_STREAM_STATE_RECORDING = 1,
  LOCAL_AUDIO_STREAM_STATE_ENCODING = 2,
  LOCAL_AUDIO_STREAM_STATE_FAILED = 3,
};

/* Structs that observers receive by pointer but the foundation does not fill
 * yet; declared incomplete so slot types are exact without guessing layouts. */
typedef struct _rtc_stats rtc_stats;
typedef struct _lastmile_probe_result lastmile_probe_result;
typedef struct _local_audio_stats local_audio_stats;
typedef struct _remote_audio_track_stats remote_audio_track_stats;
typedef struct _local_video_track_stats local_video_track_stats;
typedef struct _remote_video_track_stats remote_video_track_stats;
typedef struct _video_track_info video_track_info;
/* A remote user's audio as this user receives it (on_user_audio_track_state_changed). */
typedef enum _REMOTE_AUDIO_STATE {
  REMOTE_AUDIO_STATE_STOPPED = 0,
  REMOTE_AUDIO_STATE_STARTING = 1,
  REMOTE_AUDIO_STATE_DECODING = 2,
  REMOTE_AUDIO_STATE_FROZEN = 3,
  REMOTE_AUDIO_STATE_FAILED = 4,
} REMOTE_AUDIO_STATE;

typedef enum _REMOTE_AUDIO_STATE_REASON {
  REMOTE_AUDIO_REASON_INTERNAL = 0,
  REMOTE_AUDIO_REASON_NETWORK_CONGESTION = 1,
  REMOTE_AUDIO_REASON_NETWORK_RECOVERY = 2,
  REMOTE_AUDIO_REASON_LOCAL_MUTED = 3,
  REMOTE_AUDIO_REASON_LOCAL_UNMUTED = 4,
  REMOTE_AUDIO_REASON_REMOTE_MUTED = 5,
  REMOTE_AUDIO_REASON_REMOTE_UNMUTED = 6,
  REMOTE_AUDIO_REASON_REMOTE_OFFLINE = 7,
} REMOTE_AUDIO_STATE_REASON;

/* One speaker of on_audio_volume_indication. */
typedef struct _audio_volume_info {
  user_id_t user_id;
  unsigned int volume;  /* 0-255, linear in amplitude */
  unsigned int vad;     /* 1: the speaker's voice detected (report_vad) */
  double voice_pitch;   /* Hz, 0 when unvoiced */
} audio_volume_info;
typedef struct _remote_video_stream_info remote_video_stream_info;

/* Opaque here: layouts are declared where the engine fills them. */
typedef struct _encoded_audio_frame_info encoded_audio_frame_info;
typedef struct _encoded_video_frame_info encoded_video_frame_info;
typedef struct _external_video_frame external_video_frame;
typedef struct _audio_encoder_config audio_encoder_config;
typedef struct _video_encoder_config video_encoder_config;
typedef struct _simulcast_stream_config simulcast_stream_config;
typedef struct _encryption_config encryption_config;
typedef struct _local_audio_detailed_stats local_audio_detailed_stats;
typedef struct _audio_sink_wants audio_sink_wants;
typedef struct _capabilities_observer capabilities_observer;
typedef struct _video_frame_observer2 video_frame_observer2;
typedef struct _video_encoded_frame_observer video_encoded_frame_observer;
typedef struct _audio_sink audio_sink;

typedef struct _video_subscription_options {
  int type;               /* REMOTE_VIDEO_STREAM_TYPE: 0 high, 1 low */
  int encoded_frame_only;
} video_subscription_options;

#ifdef __cplusplus
}
#endif
