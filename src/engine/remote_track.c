/* remote_track.c -- each local user's view of every remote user's audio and
 * video: the remote track handle, on_user_{audio,video}_track_subscribed, first
 * remote frame callbacks and on_user_{audio,video}_track_state_changed:
 *   first frame            -> subscribed, STARTING, first frame/decoded, DECODING (REMOTE_UNMUTED)
 *   no frame for 500 ms    -> FROZEN (INTERNAL); frames again -> DECODING (NETWORK_RECOVERY)
 *   unpublished            -> STOPPED (REMOTE_MUTED);  left -> STOPPED (REMOTE_OFFLINE)
 * and what follows from them: on_user_info_updated / on_user_state_changed (the remote user publishes or
 * not), on_remote_video_stream_info_updated (with the video subscription), on_video_size_changed and
 * on_first_remote_video_frame_rendered (video delivery).
 * Driven by what actually arrives (audio: the clock; video: deliveries), so it
 * holds for members in other processes too. Audio and video state and reason
 * enums share their values. Entries live as long as the local user: handles
 * stay valid. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

static uint32_t magic_of(int kind) { return kind == TRACK_VIDEO ? MAGIC_REMOTE_VIDEO : MAGIC_REMOTE_AUDIO; }

static remote_track* find(local_user* u, int kind, const char* user_id) {
  for (remote_track* a = u->remote_tracks; a; a = a->next)
    if (a->magic == magic_of(kind) && strcmp(a->user_id, user_id) == 0) return a;
  return NULL;
}

/* on_{audio,video}_subscribe_state_changed: SUBSCRIBED while the remote stream arrives (first frame),
 * NO_SUBSCRIBED once it stops (unpublished, unsubscribed, left). */
static void subscribe_state(connection* r, remote_track* a, int old_state, int new_state) {
  int64_t now = engine_now_ms();
  int type = a->magic == MAGIC_REMOTE_VIDEO ? EV_VIDEO_SUBSCRIBE_STATE : EV_AUDIO_SUBSCRIBE_STATE;
  int elapsed = a->subscribe_state_ms ? (int)(now - a->subscribe_state_ms) : (int)(now - r->joined_ms);
  a->subscribe_state_ms = now ? now : 1;
  event_post_args(type, r, a->user_id, elapsed, NULL, old_state, new_state);
}

/* on_user_info_updated / on_user_state_changed: what this user knows of user_id's publishing, learnt from
 * its streams (first frame: publishing; stopped with REMOTE_MUTED: unpublished). Unsubscribing locally
 * changes nothing the remote user did; leaving is on_user_left's. The state is a REMOTE_USER_STATE mask:
 * MUTE_AUDIO unless audio is published, MUTE_VIDEO unless video is, ENABLE_VIDEO | ENABLE_LOCAL_VIDEO while it is. */
static void user_published(connection* r, remote_track* a, int published) {
  if (a->published == published) return;
  a->published = published;
  int video = a->magic == MAGIC_REMOTE_VIDEO;
  event_post_args(EV_USER_INFO, r, a->user_id, 0, NULL, video ? USER_MEDIA_INFO_MUTE_VIDEO : USER_MEDIA_INFO_MUTE_AUDIO,
                  !published);
  const remote_track* audio = video ? find(&r->user, TRACK_AUDIO, a->user_id) : a;
  const remote_track* vid = video ? a : find(&r->user, TRACK_VIDEO, a->user_id);
  int state = (audio && audio->published ? 0 : USER_STATE_MUTE_AUDIO) |
              (vid && vid->published ? USER_STATE_ENABLE_VIDEO | USER_STATE_ENABLE_LOCAL_VIDEO : USER_STATE_MUTE_VIDEO);
  event_post_args(EV_USER_STATE, r, a->user_id, 0, NULL, state, 0);
}

static void changed(connection* r, remote_track* a, int state, int reason) {
  a->state = state;
  event_post_args(EV_REMOTE_TRACK_STATE, r, a->user_id, (int)(engine_now_ms() - r->joined_ms), a, state, reason);
}

void remote_track_frame(connection* r, int kind, const char* user_id, int width, int height, size_t bytes) {
  remote_track* a = find(&r->user, kind, user_id);
  if (!a) {
    a = calloc(1, sizeof *a);
    if (!a) return;
    a->magic = magic_of(kind);
    snprintf(a->user_id, sizeof a->user_id, "%s", user_id);
    a->state = REMOTE_AUDIO_STATE_STOPPED;
    a->owner = r;
    a->next = r->user.remote_tracks;
    r->user.remote_tracks = a;
  }
  a->last_frame_ms = engine_now_ms();
  a->width = width;
  a->height = height;
  a->frames++;
  a->bytes += bytes;
  if (!a->first_frame_ms) a->first_frame_ms = a->last_frame_ms ? a->last_frame_ms : 1;
  if (kind == TRACK_AUDIO) {
    r->rx_audio_bytes += bytes;
    if (!r->first_audio_ms) r->first_audio_ms = a->first_frame_ms;
  } else {
    r->rx_video_bytes += bytes;
    if (!r->first_video_ms) r->first_video_ms = a->first_frame_ms;
  }
  if (a->state == REMOTE_AUDIO_STATE_STOPPED) {
    int elapsed = (int)(engine_now_ms() - r->joined_ms);
    subscribe_state(r, a, SUB_STATE_NO_SUBSCRIBED, SUB_STATE_SUBSCRIBING);
    subscribe_state(r, a, SUB_STATE_SUBSCRIBING, SUB_STATE_SUBSCRIBED);
    event_post(EV_REMOTE_TRACK_SUBSCRIBED, r, user_id, 0, a);
    if (kind == TRACK_VIDEO) event_post(EV_REMOTE_VIDEO_STREAM_INFO, r, user_id, 0, a);
    user_published(r, a, 1);
    changed(r, a, REMOTE_AUDIO_STATE_STARTING, REMOTE_AUDIO_REASON_REMOTE_UNMUTED);
    event_post_args(EV_FIRST_REMOTE_FRAME, r, user_id, elapsed, a, width, height);
    event_post_args(EV_FIRST_REMOTE_DECODED, r, user_id, elapsed, a, width, height);
    changed(r, a, REMOTE_AUDIO_STATE_DECODING, REMOTE_AUDIO_REASON_REMOTE_UNMUTED);
    a->size_reported = a->rendered = 0; /* the (re)started stream's first frame: reported again */
  } else if (a->state == REMOTE_AUDIO_STATE_FROZEN) {
    a->frozen_total_ms += engine_now_ms() - a->frozen_since_ms;
    changed(r, a, REMOTE_AUDIO_STATE_DECODING, REMOTE_AUDIO_REASON_NETWORK_RECOVERY);
  }
}

void remote_track_tick(connection* r) {
  int64_t now = engine_now_ms();
  for (remote_track* a = r->user.remote_tracks; a; a = a->next)
    if (a->state == REMOTE_AUDIO_STATE_DECODING && now - a->last_frame_ms > REMOTE_TRACK_FROZEN_MS) {
      a->frozen_since_ms = a->last_frame_ms; /* frozen since the last frame */
      changed(r, a, REMOTE_AUDIO_STATE_FROZEN, REMOTE_AUDIO_REASON_INTERNAL);
    }
}

void remote_track_stopped(connection* r, int kind, const char* user_id, int reason) {
  remote_track* a = find(&r->user, kind, user_id);
  if (!a) return;
  if (a->state != REMOTE_AUDIO_STATE_STOPPED) {
    changed(r, a, REMOTE_AUDIO_STATE_STOPPED, reason);
    subscribe_state(r, a, SUB_STATE_SUBSCRIBED, SUB_STATE_NO_SUBSCRIBED);
  }
  /* also when this user had unsubscribed (already STOPPED): the remote user did unpublish */
  if (reason == REMOTE_AUDIO_REASON_REMOTE_MUTED) user_published(r, a, 0);
  if (reason == REMOTE_AUDIO_REASON_REMOTE_OFFLINE) a->published = 0; /* gone: on_user_left says it */
}

/* on_video_size_changed: the first frame of a (re)started stream, then whenever size or rotation change. */
void remote_video_size(connection* r, const char* user_id, int width, int height, int rotation) {
  remote_track* a = find(&r->user, TRACK_VIDEO, user_id);
  if (!a || (a->size_reported && a->shown_width == width && a->shown_height == height && a->shown_rotation == rotation))
    return;
  a->size_reported = 1;
  a->shown_width = width;
  a->shown_height = height;
  a->shown_rotation = rotation;
  event_post_args(EV_VIDEO_SIZE, r, user_id, rotation, a, width, height);
}

/* on_first_remote_video_frame_rendered: the stream's first frame handed to a raw video frame observer. */
void remote_video_rendered(connection* r, const char* user_id, int width, int height) {
  remote_track* a = find(&r->user, TRACK_VIDEO, user_id);
  if (!a || a->rendered) return;
  a->rendered = 1;
  event_post_args(EV_FIRST_VIDEO_RENDERED, r, user_id, (int)(engine_now_ms() - r->joined_ms), a, width, height);
}

void remote_tracks_offline(connection* r, const char* user_id) {
  remote_track_stopped(r, TRACK_AUDIO, user_id, REMOTE_AUDIO_REASON_REMOTE_OFFLINE);
  remote_track_stopped(r, TRACK_VIDEO, user_id, REMOTE_AUDIO_REASON_REMOTE_OFFLINE);
}

void remote_track_clear(local_user* u) {
  while (u->remote_tracks) {
    remote_track* a = u->remote_tracks;
    u->remote_tracks = a->next;
    a->magic = MAGIC_DEAD;
    free(a);
  }
}

static int state_of(AGORA_HANDLE h, uint32_t magic) {
  remote_track* a = h;
  if (!a || a->magic != magic) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  int state = a->state;
  pthread_mutex_unlock(&g_engine.lock);
  return state;
}

AGORA_API_C_INT agora_remote_audio_track_get_state(AGORA_HANDLE agora_remote_audio_track) {
  return state_of(agora_remote_audio_track, MAGIC_REMOTE_AUDIO);
}

AGORA_API_C_INT agora_remote_video_track_get_state(AGORA_HANDLE agora_remote_video_track) {
  return state_of(agora_remote_video_track, MAGIC_REMOTE_VIDEO);
}
