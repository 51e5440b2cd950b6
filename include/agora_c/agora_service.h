/* agora_service.h -- the service (one per process) and its configuration. */
#pragma once

#include "agora_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Field order as in Agora's 2.4-generation C API (15 fields). */
typedef struct _agora_service_config {
  int enable_audio_processor;
  int enable_audio_device;
  int enable_video;
  void* context;
  const char* app_id;
  unsigned int area_code;
  int channel_profile;
  int audio_scenario;
  int use_string_uid;       /* 0: user ids must be decimal uint32 strings */
  int domain_limit;
  int log_level;
  const char* log_file_path;
  uint32_t log_file_size_kb;
  const char* data_dir;
  const char* config_dir;
} agora_service_config;

/* Options of a custom encoded video track (agora_service_create_custom_video_track_encoded). */
typedef struct _sender_options {
  int cc_mode;                    /* TCcMode: 0 enabled, 1 disabled */
  int codec_type;                 /* VIDEO_CODEC_TYPE */
  int target_bitrate;             /* Kbps */
} sender_options;

AGORA_API_C_HDL agora_service_create(void);
AGORA_API_C_INT agora_service_initialize(AGORA_HANDLE agora_svc, const agora_service_config* config);
AGORA_API_C_INT agora_service_release(AGORA_HANDLE agora_svc);
AGORA_API_C_INT agora_service_set_log_file(AGORA_HANDLE agora_svc, const char* file_path, unsigned int file_size);
AGORA_API_C_INT agora_service_set_log_filter(AGORA_HANDLE agora_svc, unsigned int filters);
AGORA_API_C_HDL agora_service_create_media_node_factory(AGORA_HANDLE agora_svc);
AGORA_API_C_HDL agora_service_create_custom_audio_track_pcm(AGORA_HANDLE agora_svc, AGORA_HANDLE agora_audio_pcm_data_sender);
AGORA_API_C_HDL agora_service_get_agora_parameter(AGORA_HANDLE agora_svc);

AGORA_API_C_INT agora_service_enable_extension(AGORA_HANDLE agora_svc, const char* provider_name, const char* extension_name,
                                               const char* track_id, int auto_enable_on_track);
AGORA_API_C_HDL agora_service_create_direct_custom_audio_track_pcm(AGORA_HANDLE agora_svc, AGORA_HANDLE agora_audio_pcm_data_sender);
AGORA_API_C_HDL agora_service_create_custom_audio_track_encoded(AGORA_HANDLE agora_svc, AGORA_HANDLE agora_audio_encoded_frame_sender,
                                                                int mix_mode);
AGORA_API_C_HDL agora_service_create_custom_video_track_frame(AGORA_HANDLE agora_svc, AGORA_HANDLE agora_video_frame_sender);
AGORA_API_C_HDL agora_service_create_custom_video_track_encoded(AGORA_HANDLE agora_svc, AGORA_HANDLE agora_video_encoded_image_sender,
                                                                const sender_options* options);

#ifdef __cplusplus
}
#endif
