/* agora_loopback.h -- functions only the loopback engine exports (not part of
 * Agora's C API). Bindings must treat them as optional: Agora's library lacks
 * them. */
#pragma once

#include "agora_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct _loopback_audio_track_stats {
  uint64_t queued_frames;   /* whole 10 ms frames waiting to be played */
  uint64_t staged_samples;  /* samples per channel of the unfinished frame */
  uint64_t queued_total;    /* frames ever queued */
  uint64_t played_frames;   /* frames ever played out (one per 10 ms tick) */
  uint64_t dropped_frames;  /* refused: queue full or format change */
  uint64_t underruns;       /* the queue ran dry mid-stream and more audio came within 500 ms */
  uint64_t starved_ticks;   /* 10 ms ticks lost to those underruns */
  uint64_t encoded_sent;      /* encoded track: frames sent to the channel */
  uint64_t encoded_discarded; /* encoded track: frames sent while unpublished or disabled */
  int send_delay_ms;          /* as set (agora_local_audio_track_set_send_delay_ms); the loopback does not delay */
  int delivering;             /* 1 until the tick that played the last frame has delivered it to every receiver */
  uint64_t extra_send_ms;     /* fast-start budget as last set (agora_local_audio_track_set_total_extra_send_ms);
                                 the loopback has no network to send ahead into: it plays at real-time pace */
} loopback_audio_track_stats;

AGORA_API_C_INT agora_loopback_audio_track_get_stats(AGORA_HANDLE agora_local_audio_track, loopback_audio_track_stats* stats);

/* The loopback engine's limits on what a video send carries. */
#define LOOPBACK_VIDEO_MAX_METADATA 65536      /* metadata bytes per raw frame */
#define LOOPBACK_VIDEO_MAX_ENCODED (16 << 20)  /* bytes per encoded image */

typedef struct _loopback_video_track_stats {
  uint64_t sent_frames;      /* frames queued for delivery */
  uint64_t dropped_frames;   /* queued frames dropped: the engine thread fell behind */
  uint64_t discarded_frames; /* sent while the track was unpublished or disabled */
  uint64_t sent_bytes;       /* I420 bytes (raw) or encoded bytes */
  uint64_t queued_frames;    /* waiting for delivery now */
  int last_width, last_height;
} loopback_video_track_stats;

AGORA_API_C_INT agora_loopback_video_track_get_stats(AGORA_HANDLE agora_local_video_track, loopback_video_track_stats* stats);

/* Inside a video observer's on_frame / on_encoded_video_frame: keep the frame being delivered (its planes,
 * alpha, metadata, encoded bytes) valid after the callback returns, until the hold is released. Returns
 * the hold, or NULL when the calling thread is not in such a callback. A binding that lends the frame's
 * memory to objects that may outlive the callback (Python buffer views) takes one. */
AGORA_API_C_HDL agora_loopback_video_frame_hold(void);
AGORA_API_C_VOID agora_loopback_video_frame_release(AGORA_HANDLE hold);

/* Why the calling thread's last agora_parameter_set_* call was refused with ERR_INVALID_ARGUMENT
 * ("" when it was not): the key and what it takes, or where a JSON document went wrong. */
AGORA_API_C const char* AGORA_CALL_C agora_loopback_parameter_refusal(void);

/* Encoded audio as a receiver gets it. Agora's library decodes received audio
 * and offers no per-user encoded receiver on a local user; the loopback does
 * not decode (except G.711, into the PCM path), so this is how a subscriber
 * gets the payload a remote encoded audio sender sent, byte for byte. */
#define LOOPBACK_AUDIO_MAX_ENCODED 4096 /* bytes per encoded audio frame */
#define LOOPBACK_AUDIO_MAX_META_DATA 1024 /* bytes per agora_local_user_send_audio_meta_data */

typedef struct _loopback_audio_encoded_frame_observer {
  void (*on_encoded_audio_frame)(AGORA_HANDLE agora_local_user, user_id_t user_id, const uint8_t* data,
                                 size_t length, const encoded_audio_frame_info* info);
} loopback_audio_encoded_frame_observer;

/* One observer per local user (NULL unregisters); the struct is copied. */
AGORA_API_C_INT agora_loopback_local_user_register_audio_encoded_frame_observer(
    AGORA_HANDLE agora_local_user, const loopback_audio_encoded_frame_observer* observer);

#ifdef __cplusplus
}
#endif
