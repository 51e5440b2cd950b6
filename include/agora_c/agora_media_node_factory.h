/* agora_media_node_factory.h -- the media node factory and the PCM data sender. */
#pragma once

#include "agora_base.h"
#include "agora_media_base.h"

#ifdef __cplusplus
extern "C" {
#endif

AGORA_API_C_VOID agora_media_node_factory_destroy(AGORA_HANDLE agora_media_node_factory);
AGORA_API_C_HDL agora_media_node_factory_create_audio_pcm_data_sender(AGORA_HANDLE agora_media_node_factory);

AGORA_API_C_VOID agora_audio_pcm_data_sender_destroy(AGORA_HANDLE agora_audio_pcm_data_sender);
/* Current 8-argument form: presentation_ms was inserted 4th (older headers: 7). */
AGORA_API_C_INT agora_audio_pcm_data_sender_send(AGORA_HANDLE agora_audio_pcm_data_sender,
                                                 const void* audio_data, uint32_t capture_timestamp,
                                                 int64_t presentation_ms, uint32_t samples_per_channel,
                                                 uint32_t bytes_per_sample, uint32_t number_of_channels,
                                                 uint32_t sample_rate);

AGORA_API_C_HDL agora_media_node_factory_create_audio_encoded_frame_sender(AGORA_HANDLE agora_media_node_factory);
AGORA_API_C_VOID agora_audio_encoded_frame_sender_destroy(AGORA_HANDLE agora_audio_encoded_frame_sender);
AGORA_API_C_INT agora_audio_encoded_frame_sender_send(AGORA_HANDLE agora_audio_encoded_frame_sender, const uint8_t* payload_data,
                                                      uint32_t payload_size, const encoded_audio_frame_info* audio_frame_info);
AGORA_API_C_HDL agora_media_node_factory_create_video_frame_sender(AGORA_HANDLE agora_media_node_factory);
AGORA_API_C_VOID agora_video_frame_sender_destroy(AGORA_HANDLE agora_video_frame_sender);
AGORA_API_C_INT agora_video_frame_sender_send(AGORA_HANDLE agora_video_frame_sender, const external_video_frame* frame);
AGORA_API_C_HDL agora_media_node_factory_create_video_encoded_image_sender(AGORA_HANDLE agora_media_node_factory);
AGORA_API_C_VOID agora_video_encoded_image_sender_destroy(AGORA_HANDLE agora_video_encoded_image_sender);
AGORA_API_C_INT agora_video_encoded_image_sender_send(AGORA_HANDLE agora_video_encoded_image_sender, const uint8_t* image_buffer,
                                                      uint32_t length, const encoded_video_frame_info* info);

#ifdef __cplusplus
}
#endif
