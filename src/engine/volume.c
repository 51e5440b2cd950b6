/* volume.c -- volume indication: every interval_ms of engine time, each local
 * user that asked for it gets on_audio_volume_indication with one entry per
 * remote user heard in that interval (volume 0-255, linear in peak amplitude,
 * optionally smoothed; vad from the audio labels when report_vad) and the
 * volume of the mix; on_active_speaker when the loudest speaker changes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

int volume_indication_active(void) { return g_engine.volume_users > 0; }

static speaker_level* level_of(volume_indication* v, const char* user_id) {
  for (int i = 0; i < v->count; i++)
    if (strcmp(v->levels[i].user_id, user_id) == 0) return &v->levels[i];
  if (v->count == v->capacity) {
    int cap = v->capacity ? v->capacity * 2 : 8;
    speaker_level* grown = realloc(v->levels, sizeof(speaker_level) * (size_t)cap);
    if (!grown) return NULL;
    v->levels = grown;
    v->capacity = cap;
  }
  speaker_level* l = &v->levels[v->count++];
  memset(l, 0, sizeof *l);
  strcpy(l->user_id, user_id);
  return l;
}

void volume_observe(local_user* u, const char* user_id, const audio_labels* labels) {
  if (!u->volume.interval_ms) return;
  speaker_level* l = level_of(&u->volume, user_id);
  if (!l) return;
  if (labels->peak > l->peak) l->peak = labels->peak; /* measured once per sender and tick, with the labels */
  if (labels->voice_prob) l->voiced = 1;
  if (labels->pitch) l->pitch = labels->pitch;
}

void volume_tick(connection* c) {
  volume_indication* v = &c->user.volume;
  if (!v->interval_ms || engine_now_ms() < v->next_ms) return;
  v->next_ms = engine_now_ms() + v->interval_ms;
  int heard = 0;
  for (int i = 0; i < v->count; i++) {
    speaker_level* l = &v->levels[i];
    double now = l->peak * 255.0 / 32767.0;
    l->smoothed = v->smooth > 0 ? (l->smoothed * v->smooth + now) / (v->smooth + 1) : now;
    if (l->peak > 0 || l->smoothed >= 1.0) heard++;
  }
  volume_report* r = calloc(1, sizeof *r + (size_t)heard * (sizeof(audio_volume_info) + MAX_ID_LEN + 1));
  if (!r) return;
  char(*ids)[MAX_ID_LEN + 1] = (void*)&r->speakers[heard];
  double total_sq = 0, loudest = 0;
  const char* loudest_id = NULL;
  unsigned int k = 0;
  for (int i = 0; i < v->count; i++) {
    speaker_level* l = &v->levels[i];
    if (!(l->peak > 0 || l->smoothed >= 1.0)) continue;
    strcpy(ids[k], l->user_id);
    r->speakers[k].user_id = ids[k];
    r->speakers[k].volume = (unsigned int)lround(l->smoothed);
    r->speakers[k].vad = v->report_vad ? (unsigned int)l->voiced : 0;
    r->speakers[k].voice_pitch = l->voiced ? l->pitch : 0;
    total_sq += l->smoothed * l->smoothed;
    if (l->smoothed > loudest) {
      loudest = l->smoothed;
      loudest_id = l->user_id;
    }
    k++;
  }
  r->count = k;
  double total = sqrt(total_sq);
  r->total_volume = total > 255 ? 255 : (int)lround(total);
  /* The payload's pointers move with it: the event keeps the block as is. */
  event_post_payload(EV_VOLUME_INDICATION, c, NULL, 0, r);
  if (loudest_id && loudest >= 5 && strcmp(loudest_id, v->active_speaker) != 0) {
    strcpy(v->active_speaker, loudest_id);
    event_post(EV_ACTIVE_SPEAKER, c, loudest_id, 0, NULL);
  }
  for (int i = 0; i < v->count; i++) {
    v->levels[i].peak = 0;
    v->levels[i].voiced = 0;
  }
}

void volume_clear(local_user* u) {
  if (u->volume.interval_ms) g_engine.volume_users--;
  free(u->volume.levels);
  memset(&u->volume, 0, sizeof u->volume);
}

AGORA_API_C_INT agora_local_user_set_audio_volume_indication_parameters(AGORA_HANDLE agora_local_user, int interval_in_ms,
                                                                        int smooth, bool report_vad) {
  local_user* u = local_user_from(agora_local_user);
  if (!u) return -ERR_INVALID_ARGUMENT;
  /* Agora: interval <= 0 disables; otherwise at least 10 ms (one frame); smooth 0..10 */
  if (interval_in_ms > 0 && interval_in_ms < 10) return -ERR_INVALID_ARGUMENT;
  if (smooth < 0 || smooth > 10) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  volume_clear(u);
  if (interval_in_ms > 0) {
    u->volume.interval_ms = interval_in_ms;
    u->volume.smooth = smooth;
    u->volume.report_vad = report_vad;
    u->volume.next_ms = engine_now_ms() + interval_in_ms;
    g_engine.volume_users++;
  }
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}
