/* agora_media_base.h -- the audio frame, audio parameters and the audio frame observer. */
#pragma once

#include "agora_base.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The 2.4-generation layout: the audio label fields (rms, voice_prob, ...) follow
 * the base fields; 16-bit interleaved PCM in `buffer`. */
typedef struct _audio_frame {
  int type;
  int samples_per_channel;
  int bytes_per_sample;
  int channels;
  int samples_per_sec;
  void* buffer;
  int64_t render_time_ms;
  int avsync_type;
  int64_t presentation_ms;
  int audio_track_number;
  uint32_t rtp_timestamp;
  int far_field_flag;
  int rms;
  int voice_prob;
  int music_prob;
  int pitch;
} audio_frame;

typedef enum _RAW_AUDIO_FRAME_OP_MODE_TYPE {
  RAW_AUDIO_FRAME_OP_MODE_READ_ONLY = 0,
  RAW_AUDIO_FRAME_OP_MODE_READ_WRITE = 2
} RAW_AUDIO_FRAME_OP_MODE_TYPE;

typedef struct _audio_params {
  int sample_rate;
  int channels;
  RAW_AUDIO_FRAME_OP_MODE_TYPE mode;
  int samples_per_call;
} audio_params;

/* 10 slots. Return values stand for C++ bool: 1 handled, 0 not. The official
 * Python SDK leaves the on_get_* slots NULL. */
typedef struct _audio_frame_observer {
  int (*on_record_audio_frame)(AGORA_HANDLE agora_local_user, const char* channel_id, const audio_frame* frame);
  int (*on_playback_audio_frame)(AGORA_HANDLE agora_local_user, const char* channel_id, const audio_frame* frame);
  int (*on_mixed_audio_frame)(AGORA_HANDLE agora_local_user, const char* channel_id, const audio_frame* frame);
  int (*on_ear_monitoring_audio_frame)(AGORA_HANDLE agora_local_user, const audio_frame* frame);
  int (*on_playback_audio_frame_before_mixing)(AGORA_HANDLE agora_local_user, const char* channel_id, user_id_t user_id, const audio_frame* frame);
  int (*on_get_audio_frame_position)(AGORA_HANDLE agora_local_user);
  audio_params (*on_get_playback_audio_frame_param)(AGORA_HANDLE agora_local_user);
  audio_params (*on_get_record_audio_frame_param)(AGORA_HANDLE agora_local_user);
  audio_params (*on_get_mixed_audio_frame_param)(AGORA_HANDLE agora_local_user);
  audio_params (*on_get_ear_monitoring_audio_frame_param)(AGORA_HANDLE agora_local_user);
} audio_frame_observer;

#ifdef __cplusplus
}
#endif
