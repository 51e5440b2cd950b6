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

/* USER_MEDIA_INFO (on_user_info_updated: msg; val 1 = muted / enabled) */
enum {
  USER_MEDIA_INFO_MUTE_AUDIO = 0,
  USER_MEDIA_INFO_MUTE_VIDEO = 1,
  USER_MEDIA_INFO_ENABLE_VIDEO = 4,
  USER_MEDIA_INFO_ENABLE_LOCAL_VIDEO = 8,
};

/* REMOTE_USER_STATE (on_user_state_changed: a bit mask) */
enum {
  USER_STATE_MUTE_AUDIO = 1 << 0,
  USER_STATE_MUTE_VIDEO = 1 << 1,
  USER_STATE_ENABLE_VIDEO = 1 << 4,
  USER_STATE_ENABLE_LOCAL_VIDEO = 1 << 8,
};

/* NETWORK_TYPE (on_network_type_changed) */
enum {
  NETWORK_TYPE_UNKNOWN = -1,
  NETWORK_TYPE_DISCONNECTED = 0,
  NETWORK_TYPE_LAN = 1,
  NETWORK_TYPE_WIFI = 2,
  NETWORK_TYPE_MOBILE_2G = 3,
  NETWORK_TYPE_MOBILE_3G = 4,
  NETWORK_TYPE_MOBILE_4G = 5,
  NETWORK_TYPE_MOBILE_5G = 6,
};

/* QUALITY_TYPE (on_user_network_quality) */
enum {
  QUALITY_UNKNOWN = 0,
  QUALITY_EXCELLENT = 1,
  QUALITY_GOOD = 2,
  QUALITY_POOR = 3,
  QUALITY_BAD = 4,
  QUALITY_VBAD = 5,
  QUALITY_DOWN = 6,
  QUALITY_UNSUPPORTED = 7,
  QUALITY_DETECTING = 8,
};

/* AUDIENCE_LATENCY_LEVEL_TYPE (client_role_options) */
enum {
  AUDIENCE_LATENCY_LEVEL_LOW_LATENCY = 1,
  AUDIENCE_LATENCY_LEVEL_ULTRA_LOW_LATENCY = 2,
};

/* CLIENT_ROLE_CHANGE_FAILED_REASON (on_change_role_failure) */
enum {
  CLIENT_ROLE_CHANGE_FAILED_TOO_MANY_BROADCASTERS = 1,
  CLIENT_ROLE_CHANGE_FAILED_NOT_AUTHORIZED = 2,
  CLIENT_ROLE_CHANGE_FAILED_REQUEST_TIME_OUT = 3,
  CLIENT_ROLE_CHANGE_FAILED_CONNECTION_FAILED = 4,
};

/* Structs that observers receive by pointer but the foundation does not fill
 * yet; declared incomplete so slot types are exact without guessing layouts. */
typedef struct _lastmile_probe_result lastmile_probe_result;

/* ---- statistics (layouts of Agora's headers as the 2.4.x SDK declares them) ---- */
typedef struct _rtc_stats {        /* on_transport_stats */
  unsigned int connection_id;
  unsigned int duration;           /* s since joining */
  unsigned int tx_bytes, rx_bytes, tx_audio_bytes, tx_video_bytes, rx_audio_bytes, rx_video_bytes;
  unsigned short tx_k_bit_rate, rx_k_bit_rate, rx_audio_k_bit_rate, tx_audio_k_bit_rate;
  unsigned short rx_video_k_bit_rate, tx_video_k_bit_rate, lastmile_delay;
  unsigned int user_count;
  double cpu_app_usage, cpu_total_usage;
  int gateway_rtt;
  double memory_app_usage_ratio, memory_total_usage_ratio;
  int memory_app_usage_in_kbytes;
  int connect_time_ms, first_audio_packet_duration, first_video_packet_duration;
  int first_video_key_frame_packet_duration, packets_before_first_key_frame_packet;
  int first_audio_packet_duration_after_unmute, first_video_packet_duration_after_unmute;
  int first_video_key_frame_packet_duration_after_unmute, first_video_key_frame_decoded_duration_after_unmute;
  int first_video_key_frame_rendered_duration_after_unmute;
  int tx_packet_loss_rate, rx_packet_loss_rate;
} rtc_stats;

/* agora_local_user_get_local_audio_statistics: what this user's audio sender did. */
#define K_MAX_CODEC_NAME_LEN 100
typedef struct _ana_stats {            /* the encoder's network adaptation (Agora's audio network adaptor) */
  uint32_t bitrate_action_counter, channel_action_counter, dtx_action_counter, fec_action_counter;
  uint32_t frame_length_increase_counter, frame_length_decrease_counter;
  float uplink_packet_loss_fraction;
} ana_stats;

typedef struct _audio_processing_stats { /* echo cancellation */
  double echo_return_loss, echo_return_loss_enhancement, divergent_filter_fraction;
  int32_t delay_median_ms, delay_standard_deviation_ms;
  double residual_echo_likelihood, residual_echo_likelihood_recent_max;
  int32_t delay_ms;
} audio_processing_stats;

typedef struct _local_audio_detailed_stats {
  uint32_t local_ssrc;
  int64_t bytes_sent;
  int32_t packets_sent, packets_lost;
  float fraction_lost;
  char codec_name[K_MAX_CODEC_NAME_LEN];
  int codec_payload_type;
  int32_t ext_seqnum, jitter_ms;
  int64_t rtt_ms;
  int32_t audio_level;                 /* peak of the last 10 ms sent, 0..32767 */
  double total_input_energy;           /* sum over frames of (rms / 32767)^2 * duration */
  double total_input_duration;         /* seconds of audio sent */
  int typing_noise_detected;
  ana_stats ana_statistics;
  audio_processing_stats apm_statistics;
} local_audio_detailed_stats;

typedef struct _local_audio_stats {
  int num_channels, sent_sample_rate, sent_bitrate, internal_codec;
  double voice_pitch;
} local_audio_stats;

typedef struct _remote_audio_track_stats {
  uid_t uid;
  int quality;                     /* QUALITY_TYPE */
  int network_transport_delay;     /* ms, sender to receiver */
  int jitter_buffer_delay;         /* ms */
  int audio_loss_rate;             /* % */
  int num_channels, received_sample_rate;
  int received_bitrate;            /* kbps */
  int total_frozen_time;           /* ms */
  int frozen_rate;                 /* % */
  int64_t received_bytes;
} remote_audio_track_stats;

typedef struct _local_video_track_stats {
  uint64_t number_of_streams, bytes_major_stream, bytes_minor_stream;
  uint32_t frames_encoded, ssrc_major_stream, ssrc_minor_stream;
  int capture_frame_rate, regulated_capture_frame_rate, input_frame_rate, encode_frame_rate, render_frame_rate;
  int target_media_bitrate_bps, media_bitrate_bps, total_bitrate_bps;
  int capture_width, capture_height, regulated_capture_width, regulated_capture_height, width, height;
  uint32_t encoder_type, uplink_cost_time_ms;
  int quality_adapt_indication;
} local_video_track_stats;

typedef struct _remote_video_track_stats {
  uid_t uid;
  int delay, width, height, received_bitrate, decoder_output_frame_rate, renderer_output_frame_rate;
  int frame_loss_rate, packet_loss_rate, rx_stream_type, total_frozen_time, frozen_rate;
  uint32_t total_decoded_frames;
  /* 2.4.x additions */
  int av_sync_time_ms;
  uint32_t downlink_process_time_ms, frame_render_delay_ms;
  uint64_t total_active_time, publish_duration;
} remote_video_track_stats;

/* on_{audio,video}_publish_state_changed: the local user's stream, per channel. */
typedef enum _STREAM_PUBLISH_STATE {
  PUB_STATE_IDLE = 0,
  PUB_STATE_NO_PUBLISHED = 1,
  PUB_STATE_PUBLISHING = 2,
  PUB_STATE_PUBLISHED = 3,
} STREAM_PUBLISH_STATE;

/* on_{audio,video}_subscribe_state_changed: a remote user's stream as this local user receives it. */
typedef enum _STREAM_SUBSCRIBE_STATE {
  SUB_STATE_IDLE = 0,
  SUB_STATE_NO_SUBSCRIBED = 1,
  SUB_STATE_SUBSCRIBING = 2,
  SUB_STATE_SUBSCRIBED = 3,
} STREAM_SUBSCRIBE_STATE;

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
/* on_remote_video_stream_info_updated */
typedef struct _remote_video_stream_info {
  uid_t uid;
  uint8_t stream_type;                  /* VIDEO_STREAM_TYPE received */
  uint8_t current_downscale_level;      /* REMOTE_VIDEO_DOWNSCALE_LEVEL */
  uint8_t total_downscale_level_counts;
} remote_video_stream_info;

/* ---- encoded audio ---- */
typedef enum _AUDIO_CODEC_TYPE {
  AUDIO_CODEC_OPUS = 1,
  AUDIO_CODEC_PCMA = 3,
  AUDIO_CODEC_PCMU = 4,
  AUDIO_CODEC_G722 = 5,
  AUDIO_CODEC_AACLC = 8,
  AUDIO_CODEC_HEAAC = 9,
  AUDIO_CODEC_JC1 = 10,
  AUDIO_CODEC_HEAAC2 = 11,
  AUDIO_CODEC_LPCNET = 12,
  AUDIO_CODEC_OPUSMC = 13,
} AUDIO_CODEC_TYPE;

typedef struct _encoded_audio_frame_info {
  int speech;              /* 1: the source is speech */
  int codec;               /* AUDIO_CODEC_TYPE */
  int sample_rate_hz;
  int samples_per_channel; /* per frame: 1024 for AAC, 960 for Opus by default */
  int send_even_if_empty;
  int number_of_channels;
  int64_t capture_time_ms; /* 2.4.x: -1 = not set (the engine stamps the send time) */
} encoded_audio_frame_info;

/* ---- built-in encryption ---- */
typedef enum _ENCRYPTION_MODE {
  AES_128_XTS = 1,
  AES_128_ECB = 2,
  AES_256_XTS = 3,
  SM4_128_ECB = 4,
  AES_128_GCM = 5,
  AES_256_GCM = 6,
  AES_128_GCM2 = 7, /* the GCM2 modes need a salt (encryption_kdf_salt) */
  AES_256_GCM2 = 8,
} ENCRYPTION_MODE;

typedef enum _ENCRYPTION_ERROR_TYPE {
  ENCRYPTION_ERROR_INTERNAL_FAILURE = 0,
  ENCRYPTION_ERROR_DECRYPTION_FAILURE = 1,
  ENCRYPTION_ERROR_ENCRYPTION_FAILURE = 2,
} ENCRYPTION_ERROR_TYPE;

typedef struct _encryption_config {
  int encryption_mode;               /* ENCRYPTION_MODE */
  const char* encryption_key;        /* required when enabling */
  uint8_t encryption_kdf_salt[32];
  bool datastream_encryption_enabled; /* 2.4.x: data streams are encrypted too */
} encryption_config;

typedef struct _audio_encoder_config {
  int audioProfile;                  /* AUDIO_PROFILE_TYPE */
} audio_encoder_config;

/* Opaque here: layouts are declared where the engine fills them. */
typedef struct _capabilities_observer capabilities_observer;

/* ---- audio sinks: a local audio track's processed 10 ms frames (the external audio processor) ---- */
typedef struct _audio_sink_wants {
  int samples_per_sec;             /* the rate the sink wants its frames in */
  uint32_t channels;
} audio_sink_wants;

typedef struct _audio_label {      /* the audio label generator's output for one frame */
  int far_field_flag;
  int rms;                         /* dB + 127, 0..127 */
  int voice_prob;                  /* 0 or 1 */
  int music_prob;
  int pitch;                       /* Hz, 0 when unvoiced */
} audio_label;

#define AUDIO_PCM_FRAME_MAX_SAMPLES 3840 /* 10 ms of 192 kHz mono, or 48 kHz with 8 channels */
typedef struct _audio_pcm_frame {
  uint32_t capture_timestamp;
  uint32_t samples_per_channel;
  int sample_rate_hz;
  uint32_t num_channels;
  uint32_t bytes_per_sample;
  int16_t data[AUDIO_PCM_FRAME_MAX_SAMPLES];
  audio_label audio_label;
} audio_pcm_frame;

typedef struct _audio_sink {
  /* One processed frame; the frame is valid during the call. Returns 0. */
  int (*on_audio_sink_data)(AGORA_HANDLE agora_audio_sink, const audio_pcm_frame* frame);
  void* user_data;
} audio_sink;

/* ---- video: enums and the structs senders, tracks and subscribers exchange ---- */
typedef enum _VIDEO_PIXEL_FORMAT {
  VIDEO_PIXEL_DEFAULT = 0,
  VIDEO_PIXEL_I420 = 1,
  VIDEO_PIXEL_BGRA = 2,
  VIDEO_PIXEL_NV21 = 3,
  VIDEO_PIXEL_RGBA = 4,
  VIDEO_PIXEL_NV12 = 8,
  VIDEO_TEXTURE_2D = 10,
  VIDEO_TEXTURE_OES = 11,
  VIDEO_CVPIXEL_NV12 = 12,
  VIDEO_PIXEL_I422 = 16,
} VIDEO_PIXEL_FORMAT;

typedef enum _VIDEO_CODEC_TYPE {
  VIDEO_CODEC_NONE = 0,
  VIDEO_CODEC_VP8 = 1,
  VIDEO_CODEC_H264 = 2,
  VIDEO_CODEC_H265 = 3,
  VIDEO_CODEC_GENERIC = 6,
  VIDEO_CODEC_GENERIC_H264 = 7,
  VIDEO_CODEC_AV1 = 12,
  VIDEO_CODEC_VP9 = 13,
  VIDEO_CODEC_GENERIC_JPEG = 20,
} VIDEO_CODEC_TYPE;

typedef enum _VIDEO_BUFFER_TYPE {
  VIDEO_BUFFER_RAW_DATA = 1,
  VIDEO_BUFFER_ARRAY = 2,
  VIDEO_BUFFER_TEXTURE = 3,
} VIDEO_BUFFER_TYPE;

typedef enum _VIDEO_FRAME_TYPE {
  VIDEO_FRAME_TYPE_BLANK_FRAME = 0,
  VIDEO_FRAME_TYPE_KEY_FRAME = 3,
  VIDEO_FRAME_TYPE_DELTA_FRAME = 4,
  VIDEO_FRAME_TYPE_B_FRAME = 5,
  VIDEO_FRAME_TYPE_DROPPABLE_FRAME = 6,
  VIDEO_FRAME_TYPE_UNKNOW = 0xff,
} VIDEO_FRAME_TYPE;

typedef enum _VIDEO_STREAM_TYPE {
  VIDEO_STREAM_HIGH = 0,
  VIDEO_STREAM_LOW = 1,
} VIDEO_STREAM_TYPE;

/* A remote user's video as this user receives it (on_user_video_track_state_changed). */
typedef enum _REMOTE_VIDEO_STATE {
  REMOTE_VIDEO_STATE_STOPPED = 0,
  REMOTE_VIDEO_STATE_STARTING = 1,
  REMOTE_VIDEO_STATE_DECODING = 2,
  REMOTE_VIDEO_STATE_FROZEN = 3,
  REMOTE_VIDEO_STATE_FAILED = 4,
} REMOTE_VIDEO_STATE;

typedef enum _REMOTE_VIDEO_STATE_REASON {
  REMOTE_VIDEO_STATE_REASON_INTERNAL = 0,
  REMOTE_VIDEO_STATE_REASON_NETWORK_CONGESTION = 1,
  REMOTE_VIDEO_STATE_REASON_NETWORK_RECOVERY = 2,
  REMOTE_VIDEO_STATE_REASON_LOCAL_MUTED = 3,
  REMOTE_VIDEO_STATE_REASON_LOCAL_UNMUTED = 4,
  REMOTE_VIDEO_STATE_REASON_REMOTE_MUTED = 5,
  REMOTE_VIDEO_STATE_REASON_REMOTE_UNMUTED = 6,
  REMOTE_VIDEO_STATE_REASON_REMOTE_OFFLINE = 7,
} REMOTE_VIDEO_STATE_REASON;

/* LOCAL_VIDEO_STREAM_STATE (agora_local_video_track_get_state) */
enum {
  LOCAL_VIDEO_STREAM_STATE_STOPPED = 0,
  LOCAL_VIDEO_STREAM_STATE_CAPTURING = 1,
  LOCAL_VIDEO_STREAM_STATE_ENCODING = 2,
  LOCAL_VIDEO_STREAM_STATE_FAILED = 3,
};

typedef struct _video_dimensions {
  int width;
  int height;
} video_dimensions;

typedef struct _video_encoder_config {
  int codec_type;                 /* VIDEO_CODEC_TYPE */
  video_dimensions dimensions;
  int frame_rate;
  int bitrate;                    /* Kbps */
  int min_bitrate;
  int orientation_mode;
  int degradation_preference;
  int mirror_mode;
  int encode_alpha;               /* 2.4 generation: appended */
} video_encoder_config;

typedef struct _simulcast_stream_config {
  video_dimensions dimensions;
  int bitrate;
  int framerate;
} simulcast_stream_config;

typedef struct _encoded_video_frame_info {
  int codec_type;                 /* VIDEO_CODEC_TYPE */
  int width;
  int height;
  int frames_per_second;
  int frame_type;                 /* VIDEO_FRAME_TYPE */
  int rotation;
  int track_id;
  int64_t capture_time_ms;
  int64_t decode_time_ms;
  uid_t uid;
  int stream_type;                /* VIDEO_STREAM_TYPE */
} encoded_video_frame_info;

typedef struct _video_track_info {
  int is_local;
  uid_t owner_uid;
  track_id_t track_id;
  const char* channel_id;
  int stream_type;
  int codec_type;
  int encoded_frame_only;
  int source_type;
  uint32_t observation_position;
} video_track_info;

typedef struct _video_subscription_options {
  int type;               /* REMOTE_VIDEO_STREAM_TYPE: 0 high, 1 low */
  int encoded_frame_only;
} video_subscription_options;

#ifdef __cplusplus
}
#endif
