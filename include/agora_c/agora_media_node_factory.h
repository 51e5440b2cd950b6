/* agora_media_node_factory.h -- the media node factory and the PCM data sender. */
#pragma once

#include "agora_base.h"

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

#ifdef __cplusplus
}
#endif
