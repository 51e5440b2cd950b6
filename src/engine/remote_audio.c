/* remote_audio.c -- each local user's view of every remote user's audio: the
 * remote audio track handle, on_user_audio_track_subscribed, first remote frame
 * callbacks and on_user_audio_track_state_changed:
 *   first frame            -> subscribed, STARTING, first frame/decoded, DECODING (REMOTE_UNMUTED)
 *   no frame for 500 ms    -> FROZEN (INTERNAL); frames again -> DECODING (NETWORK_RECOVERY)
 *   unpublished            -> STOPPED (REMOTE_MUTED);  left -> STOPPED (REMOTE_OFFLINE)
 * Driven by the clock (what actually arrives), so it holds for members in other
 * processes too. Entries live as long as the local user: handles stay valid. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

static remote_audio* find(local_user* u, const char* user_id) {
  for (remote_audio* a = u->remote_audio; a; a = a->next)
    if (strcmp(a->user_id, user_id) == 0) return a;
  return NULL;
}

static void changed(connection* r, remote_audio* a, int state, int reason) {
  a->state = state;
  event_post_args(EV_REMOTE_AUDIO_STATE, r, a->user_id, (int)(engine_now_ms() - r->joined_ms), a, state, reason);
}

void remote_audio_frame(connection* r, const char* user_id) {
  remote_audio* a = find(&r->user, user_id);
  if (!a) {
    a = calloc(1, sizeof *a);
    if (!a) return;
    a->magic = MAGIC_REMOTE_AUDIO;
    snprintf(a->user_id, sizeof a->user_id, "%s", user_id);
    a->state = REMOTE_AUDIO_STATE_STOPPED;
    a->next = r->user.remote_audio;
    r->user.remote_audio = a;
  }
  a->last_frame_ms = engine_now_ms();
  if (a->state == REMOTE_AUDIO_STATE_STOPPED) {
    int elapsed = (int)(engine_now_ms() - r->joined_ms);
    event_post(EV_REMOTE_AUDIO_SUBSCRIBED, r, user_id, 0, a);
    changed(r, a, REMOTE_AUDIO_STATE_STARTING, REMOTE_AUDIO_REASON_REMOTE_UNMUTED);
    event_post(EV_FIRST_REMOTE_AUDIO_FRAME, r, user_id, elapsed, NULL);
    event_post(EV_FIRST_REMOTE_AUDIO_DECODED, r, user_id, elapsed, NULL);
    changed(r, a, REMOTE_AUDIO_STATE_DECODING, REMOTE_AUDIO_REASON_REMOTE_UNMUTED);
  } else if (a->state == REMOTE_AUDIO_STATE_FROZEN) {
    changed(r, a, REMOTE_AUDIO_STATE_DECODING, REMOTE_AUDIO_REASON_NETWORK_RECOVERY);
  }
}

void remote_audio_tick(connection* r) {
  int64_t now = engine_now_ms();
  for (remote_audio* a = r->user.remote_audio; a; a = a->next)
    if (a->state == REMOTE_AUDIO_STATE_DECODING && now - a->last_frame_ms > REMOTE_AUDIO_FROZEN_MS)
      changed(r, a, REMOTE_AUDIO_STATE_FROZEN, REMOTE_AUDIO_REASON_INTERNAL);
}

void remote_audio_stopped(connection* r, const char* user_id, int reason) {
  remote_audio* a = find(&r->user, user_id);
  if (a && a->state != REMOTE_AUDIO_STATE_STOPPED) changed(r, a, REMOTE_AUDIO_STATE_STOPPED, reason);
}

void remote_audio_clear(local_user* u) {
  while (u->remote_audio) {
    remote_audio* a = u->remote_audio;
    u->remote_audio = a->next;
    a->magic = MAGIC_DEAD;
    free(a);
  }
}

AGORA_API_C_INT agora_remote_audio_track_get_state(AGORA_HANDLE agora_remote_audio_track) {
  remote_audio* a = agora_remote_audio_track;
  if (!a || a->magic != MAGIC_REMOTE_AUDIO) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  int state = a->state;
  pthread_mutex_unlock(&g_engine.lock);
  return state;
}
