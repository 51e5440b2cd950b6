/* libFuzzer target: a video frame from another process (video_wire_open). The
 * input is a video_wire followed by the shared file's contents; the file is a
 * sealed memfd as the sending engine makes it. Any description must be refused
 * or give a payload whose every plane lies inside the mapping (each byte is
 * read here, so ASan sees an overrun). Build and run: make fuzz. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../src/engine/engine.h"

static unsigned sum(const uint8_t* p, size_t n) {
  unsigned s = 0;
  for (size_t i = 0; i < n; i++) s += p[i];
  return s;
}

static unsigned touch(const video_payload* p) {
  if (p->encoded) return sum(p->data, p->length);
  size_t luma = (size_t)p->width * p->height, chroma = (size_t)((p->width + 1) / 2) * ((p->height + 1) / 2);
  unsigned s = sum(p->y, luma) + sum(p->u, chroma) + sum(p->v, chroma);
  if (p->alpha) s += sum(p->alpha, luma);
  if (p->metadata) s += sum(p->metadata, (size_t)p->metadata_size);
  return s;
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < sizeof(video_wire)) return 0;
  video_wire w;
  memcpy(&w, data, sizeof w);
  /* Keep sizes small enough for the file below to match them sometimes. */
  w.width %= 64;
  w.height %= 64;
  w.low_width %= 64;
  w.low_height %= 64;
  w.metadata_size %= 128;
  w.length %= 8192;
  int fd = memfd_create("fuzz", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return 0;
  size_t body = size - sizeof w;
  if (body && write(fd, data + sizeof w, body) != (ssize_t)body) {
    close(fd);
    return 0;
  }
  if (body & 1) fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE); /* unsealed files are refused */
  video_payload* p = video_wire_open(&w, fd);
  close(fd);
  if (p) {
    volatile unsigned s = touch(p);
    if (p->low) s += touch(p->low);
    (void)s;
    video_payload_release(p);
  }
  return 0;
}
