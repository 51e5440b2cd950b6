/* libFuzzer target: datagrams from members in other processes (transport.c's
 * handle_packet), as a buggy or hostile peer could send them: hello, audio,
 * data stream messages and acks, media, video descriptions, byes, in any order,
 * from two members, each input on a fresh join. The input is a sequence of packets, each a 2-byte length
 * (its top bit: which member) and that many bytes: 12 header bytes (type,
 * channels, samples, seq, sample rate) and the payload. One connection is
 * joined to a channel in a private rendezvous directory, with the engine's
 * threads running. Built with AGORA_RTC_FUZZING (the hook); run: make fuzz. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agora_c/agora_rtc_conn.h"
#include "agora_c/agora_service.h"

void transport_fuzz_packet(AGORA_HANDLE conn, int member, const uint8_t* bytes, size_t len);

static AGORA_HANDLE conn;

static int setup(void) {
  static char root[] = "/tmp/agora-rtc-fuzz-XXXXXX";
  if (!mkdtemp(root)) return -1;
  setenv("AGORA_RTC_LOOPBACK_DIR", root, 1);
  AGORA_HANDLE service = agora_service_create();
  agora_service_config config;
  memset(&config, 0, sizeof config);
  config.app_id = "fuzz";
  config.use_string_uid = 1;
  if (agora_service_initialize(service, &config) != 0) return -1;
  rtc_conn_config cc;
  memset(&cc, 0, sizeof cc);
  cc.auto_subscribe_audio = 1;
  cc.auto_subscribe_video = 1;
  cc.client_role_type = CLIENT_ROLE_BROADCASTER;
  conn = agora_rtc_conn_create(service, &cc);
  return conn && agora_rtc_conn_connect(conn, "", "fuzz", "me") == 0 ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static int ready;
  if (!ready) {
    if (setup() != 0) abort();
    ready = 1;
  } else { /* each input from a fresh join: a REFUSED or a same-uid HELLO ends the connection */
    agora_rtc_conn_disconnect(conn);
    if (agora_rtc_conn_connect(conn, "", "fuzz", "me") != 0) abort();
  }
  while (size >= 2) {
    size_t len = (size_t)data[0] | (size_t)(data[1] & 0x7f) << 8; /* up to 32 KB: past the receive buffer */
    int member = data[1] >> 7;
    data += 2;
    size -= 2;
    if (len > size) len = size;
    transport_fuzz_packet(conn, member, data, len);
    data += len;
    size -= len;
  }
  return 0;
}
