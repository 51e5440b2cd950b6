/* audio_encoded.c -- encoded audio (the encoded frame sender and its custom
 * track) and audio meta data (agora_local_user_send_audio_meta_data): messages
 * from one sender to every member subscribed to its audio, delivered in the
 * order sent, on the engine thread, here and in other processes.
 *
 * The loopback does not decode, with one exception: G.711 (PCMA/PCMU, 8 kHz)
 * is expanded into the track's PCM queue, so audio frame observers hear it as
 * they would behind Agora's network. Every encoded payload also reaches the
 * loopback's encoded audio observer (agora_loopback.h) byte for byte, with its
 * frame info. */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

static int codec_known(int codec) {
  switch (codec) {
    case AUDIO_CODEC_OPUS: case AUDIO_CODEC_PCMA: case AUDIO_CODEC_PCMU: case AUDIO_CODEC_G722:
    case AUDIO_CODEC_AACLC: case AUDIO_CODEC_HEAAC: case AUDIO_CODEC_JC1: case AUDIO_CODEC_HEAAC2:
    case AUDIO_CODEC_LPCNET: case AUDIO_CODEC_OPUSMC:
      return 1;
    default:
      return 0;
  }
}

/* G.711 expansion (ITU-T G.711 tables 1a and 2a, as segment arithmetic). */
static int16_t alaw_to_linear(uint8_t a) {
  a ^= 0x55;
  int magnitude = (a & 0x0f) << 4;
  int segment = (a & 0x70) >> 4;
  if (segment == 0)
    magnitude += 8;
  else
    magnitude = (magnitude + 0x108) << (segment - 1);
  return (int16_t)((a & 0x80) ? magnitude : -magnitude);
}

static int16_t ulaw_to_linear(uint8_t u) {
  u = (uint8_t)~u;
  int magnitude = (((u & 0x0f) << 3) + 0x84) << ((u & 0x70) >> 4);
  return (int16_t)((u & 0x80) ? 0x84 - magnitude : magnitude - 0x84);
}

void media_message_received(connection* r, const char* user_id, uint64_t tag, const media_message* m) {
  if (!r->channel || r->destroyed || fault_outage_active(r) || !local_user_is_subscribed(&r->user, user_id)) return;
  if (encryption_blocks(r, user_id, tag, 0)) return;
  if (m->kind == MEDIA_ENCODED_AUDIO && m->info.codec != AUDIO_CODEC_PCMA && m->info.codec != AUDIO_CODEC_PCMU)
    remote_track_frame(r, TRACK_AUDIO, user_id, m->info.sample_rate_hz, m->info.number_of_channels, m->length);
  /* (G.711 arrives through the clock as PCM) */
  size_t size = sizeof *m + m->length;
  media_message* copy = malloc(size + 1);
  if (!copy) return;
  memcpy(copy, m, size);
  copy->data[m->length] = 0; /* the official SDK reads meta data as a C string (ctypes c_char_p: strlen) */
  event_post_payload(EV_MEDIA_MESSAGE, r, user_id, 0, copy);
}

/* c's message to every member subscribed to its audio. g_engine.lock held. */
static void broadcast(connection* c, const media_message* m) {
  if (fault_outage_active(c)) return; /* no network: lost */
  if (m->kind == MEDIA_ENCODED_AUDIO) c->tx_audio_bytes += m->length;
  for (connection* r = c->channel->members; r; r = r->next_in_channel)
    if (r != c) media_message_received(r, c->user_id, c->media_tag, m);
  transport_send_media(c, m);
}

static int publishes(const local_user* u, const audio_track* t) {
  for (int k = 0; k < u->published_count; k++)
    if (u->published[k] == t) return 1;
  return 0;
}

AGORA_API_C_HDL agora_media_node_factory_create_audio_encoded_frame_sender(AGORA_HANDLE agora_media_node_factory) {
  factory* f = agora_media_node_factory;
  if (!f || f->magic != MAGIC_FACTORY) return NULL;
  return audio_sender_new(MAGIC_AUDIO_ENCODED_SENDER);
}

AGORA_API_C_VOID agora_audio_encoded_frame_sender_destroy(AGORA_HANDLE agora_audio_encoded_frame_sender) {
  pcm_sender* s = agora_audio_encoded_frame_sender;
  if (s && s->magic == MAGIC_AUDIO_ENCODED_SENDER) audio_sender_destroy(s);
}

/* mix_mode (MIX_ENABLED 0 / MIX_DISABLED 1) is accepted: the loopback mixes nothing before sending. */
AGORA_API_C_HDL agora_service_create_custom_audio_track_encoded(AGORA_HANDLE agora_svc,
                                                               AGORA_HANDLE agora_audio_encoded_frame_sender,
                                                               int mix_mode) {
  service* svc = agora_svc;
  pcm_sender* s = agora_audio_encoded_frame_sender;
  if (!svc || svc->magic != MAGIC_SERVICE || !s || s->magic != MAGIC_AUDIO_ENCODED_SENDER ||
      (mix_mode != 0 && mix_mode != 1))
    return NULL;
  audio_track* t = audio_track_new(s);
  if (t) t->encoded = 1; /* before anyone else can see it */
  return t;
}

AGORA_API_C_INT agora_audio_encoded_frame_sender_send(AGORA_HANDLE agora_audio_encoded_frame_sender,
                                                      const uint8_t* payload_data, uint32_t payload_size,
                                                      const encoded_audio_frame_info* info) {
  pcm_sender* s = agora_audio_encoded_frame_sender;
  if (!s || s->magic != MAGIC_AUDIO_ENCODED_SENDER || !payload_data || !info || payload_size == 0)
    return -ERR_INVALID_ARGUMENT;
  if (payload_size > LOOPBACK_AUDIO_MAX_ENCODED) return -ERR_SIZE_TOO_LARGE;
  int channels = info->number_of_channels;
  int g711 = info->codec == AUDIO_CODEC_PCMA || info->codec == AUDIO_CODEC_PCMU;
  if (!codec_known(info->codec) || (channels != 1 && channels != 2) || info->sample_rate_hz < 8000 ||
      info->sample_rate_hz > 48000 || (g711 && (info->sample_rate_hz != 8000 || payload_size % (uint32_t)channels)))
    return -ERR_INVALID_ARGUMENT;
  media_message* m = malloc(sizeof *m + payload_size);
  if (!m) return -ERR_RESOURCE_LIMITED;
  m->kind = MEDIA_ENCODED_AUDIO;
  m->length = payload_size;
  m->info = *info;
  if (m->info.capture_time_ms < 0) m->info.capture_time_ms = engine_now_ms();
  memcpy(m->data, payload_data, payload_size);
  int16_t pcm[LOOPBACK_AUDIO_MAX_ENCODED];
  for (uint32_t i = 0; g711 && i < payload_size; i++)
    pcm[i] = info->codec == AUDIO_CODEC_PCMA ? alaw_to_linear(payload_data[i]) : ulaw_to_linear(payload_data[i]);

  int rc = ERR_OK;
  pthread_mutex_lock(&g_engine.lock);
  pthread_mutex_lock(&s->lock);
  audio_track* t = s->track;
  if (!t) {
    rc = -ERR_NOT_READY; /* no track made from this sender yet */
  } else {
    pthread_mutex_lock(&t->lock);
    int enabled = t->enabled;
    if (g711 && enabled)
      rc = audio_track_push(t, pcm, (int)payload_size / channels, channels, 8000, 0, m->info.capture_time_ms);
    pthread_mutex_unlock(&t->lock);
    int sent = 0;
    for (int i = 0; rc == ERR_OK && enabled && i < g_engine.conn_count; i++) {
      connection* c = g_engine.conns[i];
      if (c->channel && c->state == CONNECTION_STATE_CONNECTED && c->user.role == CLIENT_ROLE_BROADCASTER &&
          publishes(&c->user, t)) {
        broadcast(c, m);
        sent = 1;
      }
    }
    pthread_mutex_lock(&t->lock);
    if (rc == ERR_OK && sent)
      t->encoded_sent++;
    else if (rc == ERR_OK)
      t->encoded_discarded++; /* unpublished or disabled: nobody could hear it */
    pthread_mutex_unlock(&t->lock);
  }
  pthread_mutex_unlock(&s->lock);
  pthread_mutex_unlock(&g_engine.lock);
  free(m);
  return rc;
}

AGORA_API_C_INT agora_local_user_send_audio_meta_data(AGORA_HANDLE agora_local_user, const char* meta_data,
                                                      size_t length) {
  local_user* u = local_user_from(agora_local_user);
  if (!u || !meta_data || length == 0) return -ERR_INVALID_ARGUMENT;
  if (length > LOOPBACK_AUDIO_MAX_META_DATA) return -ERR_SIZE_TOO_LARGE;
  media_message* m = calloc(1, sizeof *m + length);
  if (!m) return -ERR_RESOURCE_LIMITED;
  m->kind = MEDIA_AUDIO_META_DATA;
  m->length = (uint32_t)length;
  memcpy(m->data, meta_data, length);
  pthread_mutex_lock(&g_engine.lock);
  connection* c = u->conn;
  int rc = ERR_OK;
  if (!c->channel || c->state != CONNECTION_STATE_CONNECTED)
    rc = -ERR_NOT_IN_CHANNEL;
  else
    broadcast(c, m);
  pthread_mutex_unlock(&g_engine.lock);
  free(m);
  return rc;
}

AGORA_API_C_INT agora_loopback_local_user_register_audio_encoded_frame_observer(
    AGORA_HANDLE agora_local_user, const loopback_audio_encoded_frame_observer* observer) {
  local_user* u = local_user_from(agora_local_user);
  if (!u) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  engine_wait_callbacks(); /* a running callback finishes with the old observer */
  if (observer) u->encoded_audio_observer = *observer;
  u->encoded_audio_observer_set = observer != NULL;
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}
