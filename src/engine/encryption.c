/* encryption.c -- agora_rtc_conn_enable_encryption. Members whose keys differ
 * cannot understand each other: what one sends, the other drops (counted in
 * loopback.stats.decryption_failures) and reports once per sender with
 * on_encryption_error(ENCRYPTION_ERROR_DECRYPTION_FAILURE); members with the
 * same mode, key and salt hear each other as before.
 *
 * The loopback never leaves this host, so it does not run AES over the bytes:
 * each connection carries a tag, HMAC-SHA256 of (mode, salt) under the key,
 * cut to 64 bits, on everything it sends (the key itself never travels), and a
 * receiver compares it with its own. 0 means not encrypted. Data streams carry
 * the tag only when datastream_encryption_enabled is set. */
#include <stdio.h>
#include <string.h>

#include "engine.h"

static uint64_t tag_of(const encryption_config* cfg) {
  uint8_t msg[4 + sizeof cfg->encryption_kdf_salt];
  uint32_t mode = (uint32_t)cfg->encryption_mode;
  memcpy(msg, &mode, 4);
  memcpy(msg + 4, cfg->encryption_kdf_salt, sizeof cfg->encryption_kdf_salt);
  uint8_t mac[32];
  token_hmac_sha256((const uint8_t*)cfg->encryption_key, strlen(cfg->encryption_key), msg, sizeof msg, mac);
  uint64_t tag;
  memcpy(&tag, mac, sizeof tag);
  return tag ? tag : 1;
}

static int salt_set(const encryption_config* cfg) {
  for (size_t i = 0; i < sizeof cfg->encryption_kdf_salt; i++)
    if (cfg->encryption_kdf_salt[i]) return 1;
  return 0;
}

AGORA_API_C_INT agora_rtc_conn_enable_encryption(AGORA_HANDLE agora_rtc_conn, int enabled,
                                                 const encryption_config* config) {
  connection* c = connection_from(agora_rtc_conn);
  if (!c) return -ERR_INVALID_ARGUMENT;
  uint64_t media = 0, data = 0;
  if (enabled) {
    if (!config || !config->encryption_key || !config->encryption_key[0] || config->encryption_mode < AES_128_XTS ||
        config->encryption_mode > AES_256_GCM2)
      return -ERR_INVALID_ARGUMENT;
    if ((config->encryption_mode == AES_128_GCM2 || config->encryption_mode == AES_256_GCM2) && !salt_set(config))
      return -ERR_INVALID_ARGUMENT; /* Agora: the GCM2 modes need a salt */
    media = tag_of(config);
    data = config->datastream_encryption_enabled ? media : 0;
  }
  pthread_mutex_lock(&g_engine.lock);
  c->media_tag = media;
  c->data_tag = data;
  pthread_mutex_unlock(&g_engine.lock);
  return ERR_OK;
}

static uint32_t hash_id(const char* s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (uint8_t)*s) * 16777619u;
  return h;
}

int encryption_blocks(connection* r, const char* user_id, uint64_t tag, int data_stream) {
  if (tag == (data_stream ? r->data_tag : r->media_tag)) return 0;
  r->decryption_failures++;
  uint32_t h = hash_id(user_id);
  for (int i = 0; i < r->reported_count; i++)
    if (r->reported[i] == h) return 1;
  if (r->reported_count == (int)(sizeof r->reported / sizeof r->reported[0])) return 1; /* enough said */
  r->reported[r->reported_count++] = h;
  event_post(EV_ENCRYPTION_ERROR, r, user_id, ENCRYPTION_ERROR_DECRYPTION_FAILURE, NULL);
  return 1;
}

void encryption_reset_reports(connection* c) { c->reported_count = 0; }
