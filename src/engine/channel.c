/* channel.c -- channels keyed by app id + channel name, and their membership.
 * Joining and leaving post the events every member sees. g_engine.lock held. */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

static channel* channel_find(const char* app_id, const char* name, int create) {
  for (channel* ch = g_engine.channels; ch; ch = ch->next)
    if (strcmp(ch->app_id, app_id) == 0 && strcmp(ch->name, name) == 0) return ch;
  if (!create) return NULL;
  channel* ch = calloc(1, sizeof *ch);
  if (!ch) return NULL;
  strcpy(ch->app_id, app_id);
  strcpy(ch->name, name);
  ch->next = g_engine.channels;
  g_engine.channels = ch;
  return ch;
}

static void channel_free_if_empty(channel* ch) {
  if (ch->members) return;
  for (channel** p = &g_engine.channels; *p; p = &(*p)->next) {
    if (*p == ch) {
      *p = ch->next;
      free(ch);
      return;
    }
  }
}

int channel_join(connection* c, const char* channel_name, const char* user_id) {
  channel* ch = channel_find(c->service->app_id, channel_name, 1);
  if (!ch) return -ERR_RESOURCE_LIMITED;
  /* The same user id joining again takes the seat: the earlier connection fails
   * with SAME_UID_LOGIN, as Agora does. */
  for (connection* m = ch->members; m; m = m->next_in_channel) {
    if (strcmp(m->user_id, user_id) == 0) {
      channel_leave(m, USER_OFFLINE_QUIT);
      m->state = CONNECTION_STATE_FAILED;
      event_post(EV_CONNECTION_FAILURE, m, NULL, CONNECTION_CHANGED_SAME_UID_LOGIN, NULL);
      ch = channel_find(c->service->app_id, channel_name, 1); /* may have been freed */
      if (!ch) return -ERR_RESOURCE_LIMITED;
      break;
    }
  }
  strcpy(c->channel_id, channel_name);
  strcpy(c->user_id, user_id);
  for (connection* m = ch->members; m; m = m->next_in_channel) { /* a joining side hears of them when joined */
    if (!c->joining) event_post(EV_USER_JOINED, c, m->user_id, 0, NULL);
    if (!m->joining) event_post(EV_USER_JOINED, m, c->user_id, 0, NULL);
  }
  c->next_in_channel = ch->members;
  ch->members = c;
  c->channel = ch;
  return ERR_OK;
}

void channel_leave(connection* c, int reason) {
  transport_leave(c);
  ds_reset(c);
  channel* ch = c->channel;
  if (!ch) return;
  for (connection** p = &ch->members; *p; p = &(*p)->next_in_channel) {
    if (*p == c) {
      *p = c->next_in_channel;
      break;
    }
  }
  c->next_in_channel = NULL;
  c->channel = NULL;
  for (connection* m = ch->members; m; m = m->next_in_channel) {
    if (!m->joining) event_post(EV_USER_LEFT, m, c->user_id, reason, NULL);
    local_user_forget(&m->user, c->user_id);
    ds_forget_local_member(m, c);
    remote_tracks_offline(m, c->user_id);
  }
  channel_free_if_empty(ch);
}
