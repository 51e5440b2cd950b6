/* agora_media_base.h -- audio and video frames and the observers that receive them. */
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


/* ---- video ---- */
typedef struct _color_space_type {
  int primaries_id;
  int transfer_id;
  int matrix_id;
  int range_id;
} color_space_type;

/* A frame given to agora_video_frame_sender_send. `stride` is in pixels; an
 * I420 buffer holds the Y plane (stride x height) then U and V (stride/2 x
 * height/2 each), NV12 the Y plane then interleaved UV, RGBA/BGRA 4 bytes a
 * pixel. The alpha buffer (width x height bytes) and metadata are optional.
 * Layout of the 2.4 generation (fill_alpha_buffer, alpha_mode, color_space
 * appended). */
typedef struct _external_video_frame {
  int type;                       /* VIDEO_BUFFER_TYPE */
  int format;                     /* VIDEO_PIXEL_FORMAT */
  void* buffer;
  int stride;
  int height;
  int crop_left;
  int crop_top;
  int crop_right;
  int crop_bottom;
  int rotation;                   /* 0, 90, 180, 270 */
  long long timestamp;            /* ms */
  void* egl_context;
  int egl_type;
  int texture_id;
  float matrix[16];
  uint8_t* metadata_buffer;
  int metadata_size;
  void* alpha_buffer;
  uint8_t fill_alpha_buffer;      /* RGBA/BGRA: take alpha from the pixels when alpha_buffer is NULL */
  int alpha_mode;
  color_space_type color_space;
} external_video_frame;

/* A received frame: always I420 in the loopback engine. */
typedef struct _video_frame {
  int type;
  int width;
  int height;
  int y_stride;
  int u_stride;
  int v_stride;
  uint8_t* y_buffer;
  uint8_t* u_buffer;
  uint8_t* v_buffer;
  int rotation;
  int64_t render_time_ms;
  int avsync_type;
  uint8_t* metadata_buffer;
  int metadata_size;
  void* shared_context;
  int texture_id;
  float matrix[16];
  uint8_t* alpha_buffer;          /* width x height bytes, or NULL */
  int alpha_mode;
} video_frame;

/* agora_video_frame_observer2_create: raw frames of remote users, per local user. */
typedef struct _video_frame_observer2 {
  void (*on_frame)(AGORA_HANDLE agora_video_frame_observer2, const char* channel_id, user_id_t remote_uid,
                   const video_frame* frame);
} video_frame_observer2;

/* agora_video_encoded_frame_observer_create: encoded frames of remote users; returns 1. */
typedef struct _video_encoded_frame_observer {
  int (*on_encoded_video_frame)(AGORA_HANDLE agora_video_encoded_frame_observer, uid_t uid, const uint8_t* image_buffer,
                                size_t length, const encoded_video_frame_info* video_encoded_frame_info);
} video_encoded_frame_observer;

#ifdef __cplusplus
}
#endif
