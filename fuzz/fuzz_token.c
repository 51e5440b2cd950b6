/* libFuzzer target: AccessToken2 verification. Half the inputs are used as
 * the token text (base64 + zlib layers); the other half as the packed fields
 * themselves, compressed and encoded here, so the field reader is reached
 * with arbitrary lengths and counts. Any input is refused or admitted; never
 * a crash or an over-read. Build and run: make fuzz. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "../src/engine/engine.h"

static char* encode_token(const uint8_t* packed, size_t n) {
  static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  uLongf zn = compressBound((uLong)n);
  uint8_t* z = malloc(zn);
  if (!z || compress(z, &zn, packed, (uLong)n) != Z_OK) {
    free(z);
    return NULL;
  }
  char* out = malloc(3 + (zn + 2) / 3 * 4 + 1);
  if (!out) {
    free(z);
    return NULL;
  }
  memcpy(out, "007", 3);
  size_t o = 3;
  for (size_t i = 0; i < zn; i += 3) {
    uint32_t v = (uint32_t)z[i] << 16 | (i + 1 < zn ? (uint32_t)z[i + 1] << 8 : 0) | (i + 2 < zn ? z[i + 2] : 0);
    out[o++] = b64[v >> 18 & 63];
    out[o++] = b64[v >> 12 & 63];
    out[o++] = i + 1 < zn ? b64[v >> 6 & 63] : '=';
    out[o++] = i + 2 < zn ? b64[v & 63] : '=';
  }
  out[o] = 0;
  free(z);
  return out;
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  char* token;
  if (data[0] & 1) {
    token = encode_token(data + 1, size - 1);
  } else {
    token = malloc(size);
    if (token) {
      memcpy(token, data + 1, size - 1);
      token[size - 1] = 0;
    }
  }
  if (!token) return 0;
  int64_t expires_at = 0;
  int rc = token_verify(token, "5CFd2fd1755d40ecb72977518be15d3b", "970CA35de60c44645bbae8a215061b33",
                        "7d72365eb983485397e3e3f9d460bdda", "2882341273", &expires_at);
  if (rc != ERR_OK && rc != CONNECTION_CHANGED_INVALID_TOKEN && rc != CONNECTION_CHANGED_TOKEN_EXPIRED) abort();
  free(token);
  return 0;
}
