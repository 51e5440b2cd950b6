/* data_stream.c -- data streams: create_data_stream(reliable, ordered) and
 * send_stream_message, delivered to every other member's on_stream_message
 * (local user observer).
 *
 * Every message travels as a packet to each member through the injected loss
 * of loopback.fault.loss_percent (in this process as across processes), so the
 * flags mean what they say:
 *   unreliable  sent once; the receiver reports gaps with
 *               on_stream_message_error(ERR_STREAM_MESSAGE_TIMEOUT, missed);
 *   reliable    kept by the sender until acknowledged (cumulative ACKs, which
 *               can be lost too), resent every DS_RESEND_MS of engine time;
 *               duplicates dropped by the receiver;
 *   ordered     the receiver holds later messages until the gap is filled.
 * Limits as Agora documents them: 5 streams per connection, 1 KB per message,
 * 30 KB/s per stream; above them the call fails and nothing is queued.
 * Everything here runs under g_engine.lock. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define DS_RESEND_MS 40
#define DS_RATE_BYTES 30720.0 /* per second and stream; also the burst */



/* A member in this process is keyed "local:<connection id>", one in another process by its socket path. */
#define LOCAL_KEY_PREFIX "local:"
static void local_key(char* out, size_t cap, const connection* c) { snprintf(out, cap, LOCAL_KEY_PREFIX "%u", c->id); }

static size_t packet_size(const ds_packet* p) { return offsetof(ds_packet, data) + p->len; }

static connection* local_member(const connection* c, const char* key) {
  if (strncmp(key, LOCAL_KEY_PREFIX, strlen(LOCAL_KEY_PREFIX)) != 0 || !c->channel) return NULL;
  conn_id_t id = (conn_id_t)strtoul(key + strlen(LOCAL_KEY_PREFIX), NULL, 10);
  for (connection* m = c->channel->members; m; m = m->next_in_channel)
    if (m->id == id && m != c) return m;
  return NULL;
}

static int member_present(const connection* c, const char* key) {
  if (local_member(c, key)) return 1;
  for (remote_member* m = c->remotes; m; m = m->next)
    if (strcmp(m->path, key) == 0) return 1;
  return 0;
}

/* One packet from c to the member behind key, through the injected loss. */
static void transmit(connection* c, const char* key, const ds_packet* p) {
  if (fault_lost(c) || fault_outage_active(c)) return;
  connection* r = local_member(c, key);
  if (r && fault_outage_active(r)) return;
  if (r) {
    if (!encryption_blocks(r, c->user_id, c->data_tag, 1)) ds_receive(r, p, NULL, c);
  }
  else if (strncmp(key, LOCAL_KEY_PREFIX, strlen(LOCAL_KEY_PREFIX)) != 0)
    transport_send_data(c, key, p);
}

/* ---- receiving ---- */

static ds_rx* rx_of(connection* r, const char* from, int stream_id) {
  for (ds_rx* x = r->rx; x; x = x->next)
    if (x->stream_id == stream_id && strcmp(x->from, from) == 0) return x;
  ds_rx* x = calloc(1, sizeof *x);
  if (!x) return NULL;
  snprintf(x->from, sizeof x->from, "%s", from);
  x->stream_id = stream_id;
  x->next = r->rx;
  r->rx = x;
  return x;
}

static void deliver_message(connection* r, const ds_packet* p) {
  stream_payload* m = malloc(sizeof *m + p->len + 1);
  if (!m) return;
  m->length = p->len;
  memcpy(m->data, p->data, p->len);
  m->data[p->len] = 0; /* the official SDK reads messages as C strings (ctypes c_char_p: strlen) */
  event_post_payload(EV_STREAM_MESSAGE, r, p->from, p->stream_id, m);
}

static void send_ack(connection* r, const ds_packet* p, uint32_t next_expected, const char* reply_path,
                     connection* sender) {
  ds_packet ack;
  memset(&ack, 0, offsetof(ds_packet, data));
  ack.is_ack = 1;
  ack.stream_id = p->stream_id;
  ack.seq = next_expected;
  snprintf(ack.from, sizeof ack.from, "%s", r->user_id);
  if (fault_lost(r) || fault_outage_active(r)) return;
  if (sender) {
    char key[120];
    local_key(key, sizeof key, r);
    ds_ack(sender, &ack, key);
  } else if (reply_path) {
    transport_send_data(r, reply_path, &ack);
  }
}

void ds_receive(connection* r, const ds_packet* p, const char* reply_path, connection* sender) {
  if (!r->channel || p->len > DS_MAX_MESSAGE) return;
  ds_rx* x = rx_of(r, p->from, p->stream_id);
  if (!x) return;
  if (!p->reliable) {
    if (p->seq < x->expected) return; /* late: already counted as missed */
    if (p->seq > x->expected) {
      int* missed = malloc(sizeof *missed);
      if (missed) *missed = (int)(p->seq - x->expected);
      event_post_payload(EV_STREAM_ERROR, r, p->from, p->stream_id, missed);
    }
    x->expected = p->seq + 1;
    deliver_message(r, p);
    return;
  }
  if (p->seq >= x->expected && p->seq - x->expected < DS_WINDOW) {
    int slot = (int)(p->seq % DS_WINDOW);
    if (!x->have[slot]) {
      if (p->ordered) {
        if (!x->held[slot]) x->held[slot] = malloc(sizeof(ds_packet));
        if (!x->held[slot]) return; /* not acknowledged: it will come again */
        memcpy(x->held[slot], p, packet_size(p));
        x->have[slot] = HAVE_HELD;
      } else {
        deliver_message(r, p); /* unordered: at once, exactly once */
        x->have[slot] = HAVE_DELIVERED;
      }
    }
    while (x->have[x->expected % DS_WINDOW]) { /* the contiguous run is complete */
      int s = (int)(x->expected % DS_WINDOW);
      if (x->have[s] == HAVE_HELD) deliver_message(r, x->held[s]); /* per message: a peer may mix them */
      x->have[s] = 0;
      x->expected++;
    }
  }
  send_ack(r, p, x->expected, reply_path, sender);
}

/* ---- sending ---- */

static ds_peer* peer_of(data_stream* s, const char* key) {
  for (ds_peer* p = s->peers; p; p = p->next)
    if (strcmp(p->key, key) == 0) return p;
  ds_peer* p = calloc(1, sizeof *p);
  if (!p) return NULL;
  snprintf(p->key, sizeof p->key, "%.*s", (int)sizeof p->key - 1, key);
  p->next = s->peers;
  s->peers = p;
  return p;
}

static void free_peer(ds_peer* p) {
  for (int i = 0; i < DS_WINDOW; i++) free(p->unacked[i]);
  free(p);
}

void ds_ack(connection* c, const ds_packet* ack, const char* key) {
  if (ack->stream_id < 1 || ack->stream_id > DS_MAX_STREAMS) return;
  data_stream* s = &c->streams[ack->stream_id - 1];
  if (!s->used) return;
  for (ds_peer* p = s->peers; p; p = p->next) {
    if (strcmp(p->key, key) != 0) continue;
    while (p->acked != ack->seq && ack->seq - p->acked <= DS_WINDOW && p->acked != p->next_seq) {
      int slot = (int)(p->acked % DS_WINDOW);
      free(p->unacked[slot]);
      p->unacked[slot] = NULL;
      p->acked++;
    }
    return;
  }
}

void ds_tick(connection* c) {
  int64_t now = engine_now_ms();
  for (int i = 0; i < DS_MAX_STREAMS; i++) {
    data_stream* s = &c->streams[i];
    if (!s->used) continue;
    for (ds_peer** pp = &s->peers; *pp;) {
      ds_peer* p = *pp;
      if (!member_present(c, p->key)) { /* the member left: nothing more to deliver; back, it starts at 0 */
        *pp = p->next;
        free_peer(p);
        continue;
      }
      for (uint32_t seq = p->acked; s->reliable && seq != p->next_seq; seq++) { /* unreliable: never acked */
        int slot = (int)(seq % DS_WINDOW);
        if (p->unacked[slot] && now - p->sent_ms[slot] >= DS_RESEND_MS) {
          p->sent_ms[slot] = now;
          s->resent++;
          transmit(c, p->key, p->unacked[slot]);
        }
      }
      pp = &p->next;
    }
  }
}

static void free_rx(ds_rx* x) {
  for (int i = 0; i < DS_WINDOW; i++) free(x->held[i]);
  free(x);
}

void ds_reset(connection* c) {
  for (int i = 0; i < DS_MAX_STREAMS; i++) {
    while (c->streams[i].peers) {
      ds_peer* p = c->streams[i].peers;
      c->streams[i].peers = p->next;
      free_peer(p);
    }
  }
  while (c->rx) {
    ds_rx* x = c->rx;
    c->rx = x->next;
    free_rx(x);
  }
}

/* A member left: what r received from it (user_id) and what r's streams kept to send it (key). Back
 * again, it starts from sequence 0 both ways, at once (not at the next tick's prune). */
void ds_forget_local_member(connection* r, const connection* gone) {
  char key[120];
  local_key(key, sizeof key, gone);
  ds_forget_member(r, gone->user_id, key);
}

void ds_forget_member(connection* r, const char* user_id, const char* key) {
  for (int i = 0; i < DS_MAX_STREAMS; i++)
    for (ds_peer** pp = &r->streams[i].peers; *pp;) {
      ds_peer* p = *pp;
      if (strcmp(p->key, key) == 0) {
        *pp = p->next;
        free_peer(p);
      } else {
        pp = &p->next;
      }
    }
  for (ds_rx** px = &r->rx; *px;) {
    ds_rx* x = *px;
    if (strcmp(x->from, user_id) == 0) {
      *px = x->next;
      free_rx(x);
    } else {
      px = &x->next;
    }
  }
}

AGORA_API_C_INT agora_rtc_conn_create_data_stream(AGORA_HANDLE agora_rtc_conn, int* stream_id, int reliable,
                                                  int ordered) {
  connection* c = connection_from(agora_rtc_conn);
  if (!c || !stream_id) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  int rc = -ERR_TOO_MANY_DATA_STREAMS;
  for (int i = 0; i < DS_MAX_STREAMS; i++) {
    if (c->streams[i].used) continue;
    memset(&c->streams[i], 0, sizeof c->streams[i]);
    c->streams[i].used = 1;
    c->streams[i].reliable = reliable != 0;
    c->streams[i].ordered = ordered != 0;
    c->streams[i].tokens = DS_RATE_BYTES;
    c->streams[i].refill_ms = engine_now_ms();
    *stream_id = i + 1;
    rc = ERR_OK;
    break;
  }
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

AGORA_API_C_INT agora_rtc_conn_send_stream_message(AGORA_HANDLE agora_rtc_conn, int stream_id, const char* data,
                                                   uint32_t length) {
  connection* c = connection_from(agora_rtc_conn);
  if (!c || !data || length == 0) return -ERR_INVALID_ARGUMENT;
  if (length > DS_MAX_MESSAGE) return -ERR_SIZE_TOO_LARGE;
  pthread_mutex_lock(&g_engine.lock);
  int rc = ERR_OK;
  data_stream* s = (stream_id >= 1 && stream_id <= DS_MAX_STREAMS && c->streams[stream_id - 1].used)
                       ? &c->streams[stream_id - 1]
                       : NULL;
  int64_t now = engine_now_ms();
  if (!s) {
    rc = -ERR_INVALID_ARGUMENT;
  } else if (!c->channel || c->state != CONNECTION_STATE_CONNECTED) {
    rc = -ERR_NOT_IN_CHANNEL;
  } else {
    s->tokens += (double)(now - s->refill_ms) * DS_RATE_BYTES / 1000.0;
    if (s->tokens > DS_RATE_BYTES) s->tokens = DS_RATE_BYTES;
    s->refill_ms = now;
    if (s->tokens < length) rc = -ERR_TOO_OFTEN;
  }
  /* Every member's key, and (reliable) room in every member's window: all or nothing. */
  typedef char member_key[120];
  member_key* keys = NULL;
  int nkeys = 0;
  if (rc == ERR_OK) {
    size_t members = 0;
    for (connection* m = c->channel->members; m; m = m->next_in_channel) members++;
    for (remote_member* m = c->remotes; m; m = m->next) members++;
    keys = malloc(sizeof *keys * (members ? members : 1));
    if (!keys) rc = -ERR_RESOURCE_LIMITED;
  }
  if (rc == ERR_OK) {
    for (connection* m = c->channel->members; m; m = m->next_in_channel)
      if (m != c) local_key(keys[nkeys++], sizeof keys[0], m);
    for (remote_member* m = c->remotes; m; m = m->next) snprintf(keys[nkeys++], sizeof keys[0], "%s", m->path);
    for (int k = 0; k < nkeys && s->reliable; k++) {
      ds_peer* p = peer_of(s, keys[k]);
      if (!p) rc = -ERR_RESOURCE_LIMITED;
      else if (p->next_seq - p->acked >= DS_WINDOW) rc = -ERR_TOO_OFTEN; /* the member is not keeping up */
    }
  }
  if (rc == ERR_OK) {
    s->tokens -= length;
    s->sent++;
    ds_packet pkt;
    pkt.stream_id = (uint8_t)stream_id;
    pkt.reliable = (uint8_t)s->reliable;
    pkt.ordered = (uint8_t)s->ordered;
    pkt.is_ack = 0;
    pkt.len = (uint16_t)length;
    snprintf(pkt.from, sizeof pkt.from, "%s", c->user_id);
    memcpy(pkt.data, data, length);
    for (int k = 0; k < nkeys; k++) {
      ds_peer* p = peer_of(s, keys[k]);
      if (!p) continue;
      pkt.seq = p->next_seq++;
      if (s->reliable) {
        int slot = (int)(pkt.seq % DS_WINDOW);
        p->unacked[slot] = malloc(packet_size(&pkt));
        if (p->unacked[slot]) memcpy(p->unacked[slot], &pkt, packet_size(&pkt));
        p->sent_ms[slot] = now;
      }
      transmit(c, keys[k], &pkt);
    }
  }
  free(keys);
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}
