/* token.c -- AccessToken2 ("007...") verification, done where members are
 * admitted (connect and renew_token), when an app certificate is configured
 * (parameter loopback.app_certificate). Tokens and certificates are never
 * logged. Layout: "007" + base64(zlib(string signature + app_id + u32 issue_ts
 * + u32 expire + u32 salt + u16 n + services)), little-endian; signature =
 * HMAC-SHA256(HMAC(u32 salt, HMAC(u32 issue_ts, certificate)), the rest). */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

#include "engine.h"

/* ---- SHA-256 and HMAC (FIPS 180-4, RFC 2104) ---- */
typedef struct sha256 {
  uint32_t h[8];
  uint8_t block[64];
  size_t used;
  uint64_t bits;
} sha256;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha256_block(sha256* s, const uint8_t* p) {
  uint32_t w[64], a[8];
  for (int i = 0; i < 16; i++) w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  for (int i = 16; i < 64; i++) {
    uint32_t s0 = ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  memcpy(a, s->h, sizeof a);
  for (int i = 0; i < 64; i++) {
    uint32_t t1 = a[7] + (ROR(a[4], 6) ^ ROR(a[4], 11) ^ ROR(a[4], 25)) + ((a[4] & a[5]) ^ (~a[4] & a[6])) + K[i] + w[i];
    uint32_t t2 = (ROR(a[0], 2) ^ ROR(a[0], 13) ^ ROR(a[0], 22)) + ((a[0] & a[1]) ^ (a[0] & a[2]) ^ (a[1] & a[2]));
    memmove(a + 1, a, sizeof(uint32_t) * 7);
    a[4] += t1;
    a[0] = t1 + t2;
  }
  for (int i = 0; i < 8; i++) s->h[i] += a[i];
}

static void sha256_init(sha256* s) {
  static const uint32_t init[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  memcpy(s->h, init, sizeof init);
  s->used = 0;
  s->bits = 0;
}

static void sha256_update(sha256* s, const uint8_t* p, size_t n) {
  s->bits += (uint64_t)n * 8;
  while (n--) {
    s->block[s->used++] = *p++;
    if (s->used == 64) {
      sha256_block(s, s->block);
      s->used = 0;
    }
  }
}

static void sha256_final(sha256* s, uint8_t out[32]) {
  uint64_t bits = s->bits;
  uint8_t pad = 0x80;
  sha256_update(s, &pad, 1);
  pad = 0;
  while (s->used != 56) sha256_update(s, &pad, 1);
  uint8_t len[8];
  for (int i = 0; i < 8; i++) len[i] = (uint8_t)(bits >> (56 - 8 * i));
  sha256_update(s, len, 8);
  for (int i = 0; i < 8; i++) {
    out[4 * i] = (uint8_t)(s->h[i] >> 24);
    out[4 * i + 1] = (uint8_t)(s->h[i] >> 16);
    out[4 * i + 2] = (uint8_t)(s->h[i] >> 8);
    out[4 * i + 3] = (uint8_t)s->h[i];
  }
}

void token_hmac_sha256(const uint8_t* key, size_t key_len, const uint8_t* msg, size_t msg_len, uint8_t out[32]) {
  uint8_t k[64] = {0}, pad[64], inner[32];
  sha256 s;
  if (key_len > 64) {
    sha256_init(&s);
    sha256_update(&s, key, key_len);
    sha256_final(&s, k);
  } else {
    memcpy(k, key, key_len);
  }
  for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
  sha256_init(&s);
  sha256_update(&s, pad, 64);
  sha256_update(&s, msg, msg_len);
  sha256_final(&s, inner);
  for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
  sha256_init(&s);
  sha256_update(&s, pad, 64);
  sha256_update(&s, inner, 32);
  sha256_final(&s, out);
}

/* ---- decoding ---- */
static int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

static size_t b64_decode(const char* in, uint8_t* out, size_t cap) {
  size_t n = 0, len = strlen(in);
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < len; i++) {
    if (in[i] == '=') {
      for (size_t j = i; j < len; j++)
        if (in[j] != '=') return 0;
      break;
    }
    int v = b64_value(in[i]);
    if (v < 0) return 0;
    acc = acc << 6 | (uint32_t)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      if (n == cap) return 0;
      out[n++] = (uint8_t)(acc >> bits);
    }
  }
  return n;
}

typedef struct reader {
  const uint8_t* p;
  size_t left;
  int bad;
} reader;

static const uint8_t* take(reader* r, size_t n) {
  if (r->bad || r->left < n) {
    r->bad = 1;
    return NULL;
  }
  const uint8_t* p = r->p;
  r->p += n;
  r->left -= n;
  return p;
}

static uint32_t u16(reader* r) {
  const uint8_t* p = take(r, 2);
  return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 : 0;
}

static uint32_t u32(reader* r) {
  const uint8_t* p = take(r, 4);
  return p ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24 : 0;
}

static const uint8_t* bytes(reader* r, uint32_t* len) {
  *len = u16(r);
  return take(r, *len);
}

static int same(const uint8_t* a, uint32_t alen, const char* b) {
  return a && alen == strlen(b) && memcmp(a, b, alen) == 0;
}

int64_t token_now(void) { return (int64_t)time(NULL) + (int64_t)g_engine.time_offset_s; }

/* Returns ERR_OK (with *expires_at, 0 = never) or a CONNECTION_CHANGED_* reason
 * as a positive number: INVALID_TOKEN or TOKEN_EXPIRED. */
int token_verify(const char* token, const char* certificate, const char* app_id, const char* channel,
                 const char* user_id, int64_t* expires_at) {
  if (!token || strncmp(token, "007", 3) != 0 || strlen(token) > 4096) return CONNECTION_CHANGED_INVALID_TOKEN;
  uint8_t packed[3072];
  size_t packed_len = b64_decode(token + 3, packed, sizeof packed);
  if (!packed_len) return CONNECTION_CHANGED_INVALID_TOKEN;
  uint8_t raw[8192];
  uLongf raw_len = sizeof raw;
  if (uncompress(raw, &raw_len, packed, (uLong)packed_len) != Z_OK) return CONNECTION_CHANGED_INVALID_TOKEN;
  reader r = {raw, raw_len, 0};
  uint32_t sig_len, app_len;
  const uint8_t* sig = bytes(&r, &sig_len);
  const uint8_t* info = r.p;
  size_t info_len = r.left;
  const uint8_t* app = bytes(&r, &app_len);
  uint32_t issue_ts = u32(&r), expire = u32(&r), salt = u32(&r), services = u16(&r);
  if (r.bad || sig_len != 32) return CONNECTION_CHANGED_INVALID_TOKEN;
  uint8_t key[32], mine[32], ts_le[4] = {(uint8_t)issue_ts, (uint8_t)(issue_ts >> 8), (uint8_t)(issue_ts >> 16),
                                         (uint8_t)(issue_ts >> 24)};
  uint8_t salt_le[4] = {(uint8_t)salt, (uint8_t)(salt >> 8), (uint8_t)(salt >> 16), (uint8_t)(salt >> 24)};
  token_hmac_sha256(ts_le, 4, (const uint8_t*)certificate, strlen(certificate), key);
  token_hmac_sha256(salt_le, 4, key, 32, key);
  token_hmac_sha256(key, 32, info, info_len, mine);
  uint8_t diff = 0;
  for (int i = 0; i < 32; i++) diff |= (uint8_t)(mine[i] ^ sig[i]); /* constant time */
  if (diff || !same(app, app_len, app_id)) return CONNECTION_CHANGED_INVALID_TOKEN;
  int64_t deadline = (int64_t)issue_ts + expire;
  int admitted = 0;
  for (uint32_t s = 0; s < services && !r.bad; s++) {
    uint32_t type = u16(&r), nprivs = u16(&r);
    uint32_t join_expire = 0;
    int has_join = 0;
    for (uint32_t k = 0; k < nprivs && !r.bad; k++) {
      uint32_t priv = u16(&r), value = u32(&r);
      if (priv == 1) {
        has_join = 1;
        join_expire = value;
      }
    }
    if (type != 1) return CONNECTION_CHANGED_INVALID_TOKEN; /* only RTC tokens admit to channels */
    uint32_t ch_len, uid_len;
    const uint8_t* ch = bytes(&r, &ch_len);
    const uint8_t* uid = bytes(&r, &uid_len);
    if (r.bad) return CONNECTION_CHANGED_INVALID_TOKEN;
    if (!has_join || !same(ch, ch_len, channel) || (uid_len && !same(uid, uid_len, user_id)))
      return CONNECTION_CHANGED_INVALID_TOKEN;
    if (join_expire && (int64_t)issue_ts + join_expire < deadline) deadline = (int64_t)issue_ts + join_expire;
    admitted = 1;
  }
  if (!admitted || r.bad) return CONNECTION_CHANGED_INVALID_TOKEN;
  if (token_now() >= deadline) return CONNECTION_CHANGED_TOKEN_EXPIRED;
  *expires_at = deadline;
  return ERR_OK;
}

/* Every 100 ms of engine time: warn TOKEN_WILL_EXPIRE_S before a verified
 * token's deadline, and at the deadline report did-expire and fail the
 * connection with TOKEN_EXPIRED (the member is dropped from the channel). */
void token_check_expiry(void) {
  int64_t now = token_now();
  for (int i = 0; i < g_engine.conn_count; i++) {
    connection* c = g_engine.conns[i];
    if (!c->token_expires_at || c->state != CONNECTION_STATE_CONNECTED) continue;
    if (now >= c->token_expires_at) {
      event_post(EV_TOKEN_DID_EXPIRE, c, NULL, 0, NULL);
      connection_fail(c, CONNECTION_CHANGED_TOKEN_EXPIRED);
    } else if (!c->token_warned && now >= c->token_expires_at - TOKEN_WILL_EXPIRE_S) {
      c->token_warned = 1;
      event_post(EV_TOKEN_WILL_EXPIRE, c, NULL, 0, NULL);
    }
  }
}
