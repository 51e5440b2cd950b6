/* agora_rtc_conn.h -- the RTC connection, its configuration, info and observer. */
#pragma once

#include "agora_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _rtc_conn_info {
  conn_id_t id;              /* 32-bit in C; the official ctypes reads 64 bits, so the
                                padding after it is always written as zero */
  const char* channel_id;
  int state;                 /* CONNECTION_STATE_* */
  const char* local_user_id;
  uid_t internal_uid;
} rtc_conn_info;

typedef struct _audio_subscription_options {
  int packet_only;
  int pcm_data_only;
  uint32_t bytes_per_sample;
  uint32_t number_of_channels;
  uint32_t sample_rate_hz;
} audio_subscription_options;

typedef struct _rtc_conn_config {
  int auto_subscribe_audio;
  int auto_subscribe_video;
  int enable_audio_recording_or_playout;
  int max_send_bitrate;
  int min_port;
  int max_port;
  audio_subscription_options audio_subs_options;
  int client_role_type;
  int channel_profile;
  int audio_recv_media_packet;
  int audio_recv_encoded_frame;
  int video_recv_media_packet;
} rtc_conn_config;

/* on_change_role_success: the new role's options */
typedef struct _client_role_options {
  int audience_latency_level;  /* AUDIENCE_LATENCY_LEVEL_* */
} client_role_options;

/* 30 slots, in Agora's order. Any slot may be NULL; the engine checks each. */
typedef struct _rtc_conn_observer {
  void (*on_connected)(AGORA_HANDLE agora_rtc_conn, const rtc_conn_info* conn_info, int reason);
  void (*on_disconnected)(AGORA_HANDLE agora_rtc_conn, const rtc_conn_info* conn_info, int reason);
  void (*on_connecting)(AGORA_HANDLE agora_rtc_conn, const rtc_conn_info* conn_info, int reason);
  void (*on_reconnecting)(AGORA_HANDLE agora_rtc_conn, const rtc_conn_info* conn_info, int reason);
  void (*on_reconnected)(AGORA_HANDLE agora_rtc_conn, const rtc_conn_info* conn_info, int reason);
  void (*on_connection_lost)(AGORA_HANDLE agora_rtc_conn, const rtc_conn_info* conn_info);
  void (*on_lastmile_quality)(AGORA_HANDLE agora_rtc_conn, int quality);
  void (*on_lastmile_probe_result)(AGORA_HANDLE agora_rtc_conn, const lastmile_probe_result* result);
  void (*on_token_privilege_will_expire)(AGORA_HANDLE agora_rtc_conn, const char* token);
  void (*on_token_privilege_did_expire)(AGORA_HANDLE agora_rtc_conn);
  void (*on_connection_license_validation_failure)(AGORA_HANDLE agora_rtc_conn, int reason);
  void (*on_connection_failure)(AGORA_HANDLE agora_rtc_conn, const rtc_conn_info* conn_info, int reason);
  void (*on_user_joined)(AGORA_HANDLE agora_rtc_conn, user_id_t user_id);
  void (*on_user_left)(AGORA_HANDLE agora_rtc_conn, user_id_t user_id, int reason);
  void (*on_transport_stats)(AGORA_HANDLE agora_rtc_conn, const rtc_stats* stats);
  void (*on_change_role_success)(AGORA_HANDLE agora_rtc_conn, int old_role, int new_role, const client_role_options* new_role_options);
  void (*on_change_role_failure)(AGORA_HANDLE agora_rtc_conn, int reason, int current_role);
  void (*on_user_network_quality)(AGORA_HANDLE agora_rtc_conn, user_id_t user_id, int tx_quality, int rx_quality);
  void (*on_network_type_changed)(AGORA_HANDLE agora_rtc_conn, int type);
  void (*on_api_call_executed)(AGORA_HANDLE agora_rtc_conn, int err, const char* api, const char* result);
  void (*on_content_inspect_result)(AGORA_HANDLE agora_rtc_conn, int result);
  void (*on_snapshot_taken)(AGORA_HANDLE agora_rtc_conn, const char* channel, uid_t uid, const char* file_path, int width, int height, int err_code);
  void (*on_error)(AGORA_HANDLE agora_rtc_conn, int error, const char* msg);
  void (*on_warning)(AGORA_HANDLE agora_rtc_conn, int warning, const char* msg);
  void (*on_channel_media_relay_state_changed)(AGORA_HANDLE agora_rtc_conn, int state, int code);
  void (*on_local_user_registered)(AGORA_HANDLE agora_rtc_conn, uid_t uid, const char* user_account);
  void (*on_user_account_updated)(AGORA_HANDLE agora_rtc_conn, uid_t uid, const char* user_account);
  void (*on_stream_message_error)(AGORA_HANDLE agora_rtc_conn, user_id_t user_id, int stream_id, int code, int missed, int cached);
  void (*on_encryption_error)(AGORA_HANDLE agora_rtc_conn, int error_type);
  void (*on_upload_log_result)(AGORA_HANDLE agora_rtc_conn, const char* request_id, int success, int reason);
} rtc_conn_observer;

AGORA_API_C_HDL agora_rtc_conn_create(AGORA_HANDLE agora_svc, const rtc_conn_config* config);
AGORA_API_C_VOID agora_rtc_conn_destroy(AGORA_HANDLE agora_rtc_conn);
AGORA_API_C_INT agora_rtc_conn_connect(AGORA_HANDLE agora_rtc_conn, const char* token, const char* chan_id, user_id_t user_id);
AGORA_API_C_INT agora_rtc_conn_disconnect(AGORA_HANDLE agora_rtc_conn);
AGORA_API_C_INT agora_rtc_conn_renew_token(AGORA_HANDLE agora_rtc_conn, const char* token);
AGORA_API_C rtc_conn_info* AGORA_CALL_C agora_rtc_conn_get_conn_info(AGORA_HANDLE agora_rtc_conn);
AGORA_API_C_VOID agora_rtc_conn_destroy_conn_info(AGORA_HANDLE agora_rtc_conn, rtc_conn_info* info);
AGORA_API_C_HDL agora_rtc_conn_get_local_user(AGORA_HANDLE agora_rtc_conn);
AGORA_API_C_INT agora_rtc_conn_register_observer(AGORA_HANDLE agora_rtc_conn, rtc_conn_observer* observer);
AGORA_API_C_INT agora_rtc_conn_unregister_observer(AGORA_HANDLE agora_rtc_conn);
AGORA_API_C_HDL agora_rtc_conn_get_agora_parameter(AGORA_HANDLE agora_rtc_conn);

AGORA_API_C_INT agora_rtc_conn_create_data_stream(AGORA_HANDLE agora_rtc_conn, int* stream_id, int reliable, int ordered);
AGORA_API_C_INT agora_rtc_conn_send_stream_message(AGORA_HANDLE agora_rtc_conn, int stream_id, const char* data, uint32_t length);
AGORA_API_C_INT agora_rtc_conn_enable_encryption(AGORA_HANDLE agora_rtc_conn, int enabled, const encryption_config* config);
/* The session id: valid until the connection is destroyed. */
AGORA_API_C const char* AGORA_CALL_C agora_rtc_conn_get_sid(AGORA_HANDLE agora_rtc_conn);

#ifdef __cplusplus
}
#endif
