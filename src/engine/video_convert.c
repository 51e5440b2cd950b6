/* video_convert.c -- raw video formats to I420, and I420 scaling.
 *
 * RGB -> YUV uses BT.601 limited range in 8-bit fixed point (the coefficients
 * libyuv and WebRTC use); each chroma sample comes from the average of its
 * 2x2 block (1x2, 2x1 or 1x1 on odd edges). Destination strides are width and
 * (width + 1) / 2. */
#include <string.h>

#include "engine.h"

static inline uint8_t y_of(int r, int g, int b) { return (uint8_t)(((66 * r + 129 * g + 25 * b + 128) >> 8) + 16); }
static inline uint8_t u_of(int r, int g, int b) { return (uint8_t)(((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128); }
static inline uint8_t v_of(int r, int g, int b) { return (uint8_t)(((112 * r - 94 * g - 18 * b + 128) >> 8) + 128); }

static void copy_plane(const uint8_t* src, int src_stride, uint8_t* dst, int width, int height) {
  for (int row = 0; row < height; row++) memcpy(dst + (size_t)row * width, src + (size_t)row * src_stride, (size_t)width);
}

void video_i420_copy(const uint8_t* src, int stride, int width, int height, uint8_t* y, uint8_t* u, uint8_t* v) {
  /* Source planes: Y stride x height, then U and V of (stride / 2) x (height / 2). */
  int cw = (width + 1) / 2, ch = (height + 1) / 2, cs = stride / 2;
  const uint8_t* su = src + (size_t)stride * height;
  const uint8_t* sv = su + (size_t)cs * ch;
  copy_plane(src, stride, y, width, height);
  copy_plane(su, cs, u, cw, ch);
  copy_plane(sv, cs, v, cw, ch);
}

void video_nv12_to_i420(const uint8_t* src, int stride, int width, int height, int swap_uv, uint8_t* y, uint8_t* u,
                        uint8_t* v) {
  int cw = (width + 1) / 2, ch = (height + 1) / 2;
  const uint8_t* uv = src + (size_t)stride * height;
  copy_plane(src, stride, y, width, height);
  uint8_t* first = swap_uv ? v : u; /* NV21 interleaves V first */
  uint8_t* second = swap_uv ? u : v;
  for (int row = 0; row < ch; row++) {
    const uint8_t* s = uv + (size_t)row * stride;
    uint8_t* a = first + (size_t)row * cw;
    uint8_t* b = second + (size_t)row * cw;
    for (int col = 0; col < cw; col++) {
      a[col] = s[2 * col];
      b[col] = s[2 * col + 1];
    }
  }
}

void video_rgba_to_i420(const uint8_t* src, int stride, int width, int height, int bgra, uint8_t* y, uint8_t* u,
                        uint8_t* v, uint8_t* alpha) {
  int ri = bgra ? 2 : 0, bi = bgra ? 0 : 2;
  size_t row_bytes = (size_t)stride * 4;
  int cw = (width + 1) / 2;
  for (int row = 0; row < height; row++) {
    const uint8_t* s = src + row_bytes * row;
    uint8_t* yr = y + (size_t)row * width;
    for (int col = 0; col < width; col++, s += 4) yr[col] = y_of(s[ri], s[1], s[bi]);
    if (alpha) {
      s = src + row_bytes * row;
      uint8_t* ar = alpha + (size_t)row * width;
      for (int col = 0; col < width; col++) ar[col] = s[4 * col + 3];
    }
  }
  for (int row = 0; row < height; row += 2) {
    const uint8_t* s0 = src + row_bytes * row;
    const uint8_t* s1 = row + 1 < height ? s0 + row_bytes : s0;
    uint8_t* ur = u + (size_t)(row / 2) * cw;
    uint8_t* vr = v + (size_t)(row / 2) * cw;
    for (int col = 0; col < width; col += 2) {
      int c1 = col + 1 < width ? col + 1 : col;
      const uint8_t *a = s0 + 4 * col, *b = s0 + 4 * c1, *c = s1 + 4 * col, *d = s1 + 4 * c1;
      int r = (a[ri] + b[ri] + c[ri] + d[ri] + 2) >> 2;
      int g = (a[1] + b[1] + c[1] + d[1] + 2) >> 2;
      int bl = (a[bi] + b[bi] + c[bi] + d[bi] + 2) >> 2;
      ur[col / 2] = u_of(r, g, bl);
      vr[col / 2] = v_of(r, g, bl);
    }
  }
}

/* Bilinear resampling of one plane (16.16 fixed point, pixel centres aligned). */
void video_plane_scale(const uint8_t* src, int sw, int sh, uint8_t* dst, int dw, int dh) {
  if (sw == dw && sh == dh) {
    memcpy(dst, src, (size_t)sw * sh);
    return;
  }
  int64_t xstep = ((int64_t)sw << 16) / dw, ystep = ((int64_t)sh << 16) / dh;
  for (int row = 0; row < dh; row++) {
    int64_t fy = ((int64_t)row * ystep + ystep / 2) - (1 << 15);
    if (fy < 0) fy = 0;
    int y0 = (int)(fy >> 16), y1 = y0 + 1 < sh ? y0 + 1 : y0;
    int wy = (int)(fy & 0xffff);
    const uint8_t *r0 = src + (size_t)y0 * sw, *r1 = src + (size_t)y1 * sw;
    uint8_t* out = dst + (size_t)row * dw;
    for (int col = 0; col < dw; col++) {
      int64_t fx = ((int64_t)col * xstep + xstep / 2) - (1 << 15);
      if (fx < 0) fx = 0;
      int x0 = (int)(fx >> 16), x1 = x0 + 1 < sw ? x0 + 1 : x0;
      int wx = (int)(fx & 0xffff);
      int top = r0[x0] * (65536 - wx) + r0[x1] * wx;
      int bottom = r1[x0] * (65536 - wx) + r1[x1] * wx;
      out[col] = (uint8_t)((((int64_t)top * (65536 - wy) + (int64_t)bottom * wy) + ((int64_t)1 << 31)) >> 32);
    }
  }
}

void video_i420_scale(const uint8_t* sy, const uint8_t* su, const uint8_t* sv, int sw, int sh, uint8_t* dy,
                      uint8_t* du, uint8_t* dv, int dw, int dh) {
  video_plane_scale(sy, sw, sh, dy, dw, dh);
  video_plane_scale(su, (sw + 1) / 2, (sh + 1) / 2, du, (dw + 1) / 2, (dh + 1) / 2);
  video_plane_scale(sv, (sw + 1) / 2, (sh + 1) / 2, dv, (dw + 1) / 2, (dh + 1) / 2);
}
