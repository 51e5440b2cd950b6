/* params.c -- engine parameters: a strict parser for the flat JSON objects that
 * agora_parameter_set_parameters takes ({"key": value, ...}), and the keys the
 * loopback engine acts on. Unknown keys are accepted, as Agora's library does;
 * malformed JSON is refused with -ERR_INVALID_ARGUMENT, and
 * agora_loopback_parameter_refusal() then says why. */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define KEY_CLOCK_SPEED "loopback.clock_speed"

#define KEY_CERTIFICATE "loopback.app_certificate"
#define KEY_TIME_OFFSET "loopback.time_offset_s"
#define KEY_LABELS "che.audio.label.enable" /* Agora's key: the official SDK sets it true */
#define KEY_EXTRA_SEND "che.audio.extra_send_frames_per_interval_for_fake_adm" /* fast start, per connection */
#define KEY_MUTE_DATA "che.audio.deliver_mute_data_for_fake_adm"

/* Why this thread's last parameter call was refused: one message, no allocation. */
static _Thread_local char t_refusal[256];

AGORA_API_C const char* AGORA_CALL_C agora_loopback_parameter_refusal(void) { return t_refusal; }

static int refuse(const char* format, ...) __attribute__((format(printf, 1, 2)));
static int refuse(const char* format, ...) {
  va_list ap;
  va_start(ap, format);
  vsnprintf(t_refusal, sizeof t_refusal, format, ap);
  va_end(ap);
  return -ERR_INVALID_ARGUMENT;
}

int params_bad_call(void) { return refuse("a NULL or released parameter object, or a NULL key or value"); }
int params_accepted(void) {
  t_refusal[0] = 0;
  return ERR_OK;
}
int params_refuse_array(const char* key) { return refuse("%s takes a JSON array (\"[...]\")", key); }

/* Agora's app certificates are 32 hex digits; "" turns verification off. */
static int valid_certificate(const char* value) {
  size_t n = strlen(value);
  if (n != 0 && n != 32) return 0;
  for (size_t i = 0; i < n; i++)
    if (!isxdigit((unsigned char)value[i])) return 0;
  return 1;
}

/* Keys the engine reads as numbers: a string there would be ignored without a word. */
static int numeric_key(const char* key) {
  return faults_check(key, 0) >= 0 || strcmp(key, KEY_CLOCK_SPEED) == 0 || strcmp(key, KEY_TIME_OFFSET) == 0 ||
         strcmp(key, KEY_LABELS) == 0 || strcmp(key, KEY_EXTRA_SEND) == 0 || strcmp(key, KEY_MUTE_DATA) == 0;
}

#define CERTIFICATE_TAKES KEY_CERTIFICATE " takes 32 hex digits, or \"\" to turn verification off"

int params_set_string(const char* key, const char* value) {
  t_refusal[0] = 0;
  if (numeric_key(key)) return refuse("%s takes a number, not a string", key);
  if (strcmp(key, KEY_CERTIFICATE) == 0) {
    if (!valid_certificate(value)) return refuse(CERTIFICATE_TAKES);
    pthread_mutex_lock(&g_engine.lock);
    strcpy(g_engine.app_certificate, value);
    pthread_mutex_unlock(&g_engine.lock);
  }
  return ERR_OK;
}

/* Range checks, shared by the validating pass of params_apply_json: NULL when
 * value suits key, else what key takes. */
static const char* out_of_range(const char* key, double value) {
  int fault = faults_check(key, value);
  if (fault >= 0) return fault ? NULL : faults_range(key);
  if (strcmp(key, KEY_CLOCK_SPEED) == 0) return value >= 0.1 && value <= 1000.0 ? NULL : "0.1..1000";
  if (strcmp(key, KEY_TIME_OFFSET) == 0) return fabs(value) <= 1e9 ? NULL : "-1e9..1e9 seconds";
  if (strcmp(key, KEY_EXTRA_SEND) == 0) return value >= 1 && value <= 5 && value == floor(value) ? NULL : "1..5, whole";
  return NULL;
}

static int refuse_range(const char* key, double value, const char* takes) {
  return refuse("%s takes %s, not %g", key, takes, value);
}

int params_set_number(parameter* scope, const char* key, double value) {
  t_refusal[0] = 0;
  const char* takes = out_of_range(key, value);
  if (takes) return refuse_range(key, value, takes);
  if (faults_check(key, value) >= 0) return faults_set(scope, key, value);
  if (strcmp(key, KEY_LABELS) == 0) {
    pthread_mutex_lock(&g_engine.lock);
    g_engine.labels_enabled = value != 0;
    pthread_mutex_unlock(&g_engine.lock);
    return ERR_OK;
  }
  if (strcmp(key, KEY_EXTRA_SEND) == 0 || strcmp(key, KEY_MUTE_DATA) == 0) {
    pthread_mutex_lock(&g_engine.lock);
    if (strcmp(key, KEY_MUTE_DATA) == 0)
      g_engine.mute_data_off = value == 0;
    else if (scope && scope->conn)
      scope->conn->extra_send_frames = (int)value;
    else
      g_engine.extra_send_frames = (int)value;
    pthread_mutex_unlock(&g_engine.lock);
    return ERR_OK;
  }
  if (strcmp(key, KEY_TIME_OFFSET) == 0) {
    pthread_mutex_lock(&g_engine.lock);
    g_engine.time_offset_s = value;
    pthread_mutex_unlock(&g_engine.lock);
    engine_wake();
    return ERR_OK;
  }
  if (strcmp(key, KEY_CLOCK_SPEED) == 0) {
    pthread_mutex_lock(&g_engine.lock);
    g_engine.clock_speed = value;
    pthread_mutex_unlock(&g_engine.lock);
    engine_wake();
  }
  return ERR_OK;
}

/* Read-only keys report live engine objects, so tests can prove nothing leaks. */
int params_get_number(parameter* scope, const char* key, double* value) {
  int rc = ERR_OK;
  pthread_mutex_lock(&g_engine.lock);
  if (faults_get(scope, key, value) == ERR_OK) {
    pthread_mutex_unlock(&g_engine.lock);
    return ERR_OK;
  }
  if (strcmp(key, KEY_CLOCK_SPEED) == 0)
    *value = g_engine.clock_speed;
  else if (strcmp(key, "loopback.objects.connections") == 0)
    *value = g_engine.conn_count;
  else if (strcmp(key, "loopback.objects.tracks") == 0)
    *value = g_engine.live_tracks;
  else if (strcmp(key, "loopback.objects.senders") == 0)
    *value = g_engine.live_senders;
  else if (strcmp(key, "loopback.objects.factories") == 0)
    *value = g_engine.live_factories;
  else if (strcmp(key, "loopback.objects.video_tracks") == 0)
    *value = g_engine.live_video_tracks;
  else if (strcmp(key, "loopback.objects.video_senders") == 0)
    *value = g_engine.live_video_senders;
  else if (strcmp(key, "loopback.objects.video_observers") == 0)
    *value = g_engine.live_video_observers;
  else if (strcmp(key, "loopback.objects.audio_sinks") == 0)
    *value = g_engine.sink_count;
  else if (strcmp(key, KEY_TIME_OFFSET) == 0)
    *value = g_engine.time_offset_s;
  else if (strcmp(key, KEY_LABELS) == 0)
    *value = g_engine.labels_enabled;
  else if (strcmp(key, KEY_EXTRA_SEND) == 0) /* a connection's own value, else the engine's */
    *value = scope && scope->conn && scope->conn->extra_send_frames ? scope->conn->extra_send_frames
                                                                     : g_engine.extra_send_frames;
  else if (strcmp(key, KEY_MUTE_DATA) == 0)
    *value = !g_engine.mute_data_off;
  else if (strcmp(key, "loopback.token_verification") == 0) /* the certificate itself is never readable */
    *value = g_engine.app_certificate[0] != 0;
  else if (strncmp(key, "loopback.stats.remote_", 22) == 0)
    rc = transport_stat(key + 22, value);
  else if (strcmp(key, "loopback.stats.decryption_failures") == 0 || strcmp(key, "loopback.stats.media_dropped") == 0 ||
           strcmp(key, "loopback.stats.send_dropped") == 0)
    rc = transport_stat(key + 15, value);
  else if (strcmp(key, "loopback.late_ticks") == 0)
    *value = (double)g_engine.late_ticks;
  else
    rc = -ERR_NOT_SUPPORTED;
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

typedef struct cursor {
  const char* p;
  int depth;
} cursor;

static void skip_ws(cursor* c) {
  while (*c->p && isspace((unsigned char)*c->p)) c->p++;
}

/* Parses a JSON string into out (truncated to cap-1 bytes); 0 on error. */
static int parse_string(cursor* c, char* out, size_t cap) {
  size_t n = 0;
  if (*c->p != '"') return 0;
  c->p++;
  while (*c->p && *c->p != '"') {
    char ch = *c->p++;
    if ((unsigned char)ch < 0x20) return 0;
    if (ch == '\\') {
      char e = *c->p++;
      if (e == 'u') {
        for (int i = 0; i < 4; i++)
          if (!isxdigit((unsigned char)*c->p++)) return 0;
        ch = '?';
      } else if (strchr("\"\\/bfnrt", e) && e) {
        ch = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e;
      } else {
        return 0;
      }
    }
    if (out && n + 1 < cap) out[n++] = ch;
  }
  if (*c->p != '"') return 0;
  c->p++;
  if (out) out[n] = 0;
  return 1;
}

static int parse_value(cursor* c, double* number, int* is_number);

static int parse_container(cursor* c, char open, char close) {
  if (++c->depth > 32) return 0;
  c->p++;
  skip_ws(c);
  if (*c->p == close) {
    c->p++;
    c->depth--;
    return 1;
  }
  for (;;) {
    skip_ws(c);
    if (open == '{') {
      if (!parse_string(c, NULL, 0)) return 0;
      skip_ws(c);
      if (*c->p++ != ':') return 0;
    }
    double d;
    int isnum;
    if (!parse_value(c, &d, &isnum)) return 0;
    skip_ws(c);
    if (*c->p == ',') {
      c->p++;
      continue;
    }
    if (*c->p != close) return 0;
    c->p++;
    c->depth--;
    return 1;
  }
}

static int parse_value(cursor* c, double* number, int* is_number) {
  skip_ws(c);
  *is_number = 0;
  if (*c->p == '"') return parse_string(c, NULL, 0);
  if (*c->p == '{') return parse_container(c, '{', '}');
  if (*c->p == '[') return parse_container(c, '[', ']');
  if (strncmp(c->p, "true", 4) == 0) {
    c->p += 4;
    *number = 1;
    *is_number = 1;
    return 1;
  }
  if (strncmp(c->p, "false", 5) == 0) {
    c->p += 5;
    *number = 0;
    *is_number = 1;
    return 1;
  }
  if (strncmp(c->p, "null", 4) == 0) {
    c->p += 4;
    return 1;
  }
  if (*c->p == '-' || isdigit((unsigned char)*c->p)) {
    char* end;
    *number = strtod(c->p, &end);
    if (end == c->p || !isfinite(*number)) return 0;
    c->p = end;
    *is_number = 1;
    return 1;
  }
  return 0;
}

/* Where the document went wrong, for the refusal. */
static int malformed(const char* json, const cursor* c, const char* expected) {
  return refuse("malformed JSON at offset %ld: expected %s", (long)(c->p - json), expected);
}

int params_apply_json(parameter* scope, const char* json) {
  t_refusal[0] = 0;
  /* Two passes: validate everything first so a bad document changes nothing. */
  for (int apply = 0; apply < 2; apply++) {
    cursor c = {json, 0};
    skip_ws(&c);
    if (*c.p != '{') return malformed(json, &c, "a JSON object {\"key\": value, ...}");
    c.p++;
    skip_ws(&c);
    if (*c.p == '}') {
      c.p++;
    } else {
      for (;;) {
        char key[128], text[128];
        double number = 0;
        int is_number = 0, is_text = 0;
        skip_ws(&c);
        if (!parse_string(&c, key, sizeof key)) return malformed(json, &c, "a \"key\" string");
        skip_ws(&c);
        if (*c.p != ':') return malformed(json, &c, "':' after the key");
        c.p++;
        skip_ws(&c);
        if (*c.p == '"') {
          is_text = 1;
          if (!parse_string(&c, text, sizeof text)) return malformed(json, &c, "a complete string value");
        } else if (!parse_value(&c, &number, &is_number)) {
          return malformed(json, &c, "a value (number, string, true, false, null, array or object)");
        }
        const char* takes = is_number ? out_of_range(key, number) : NULL;
        if (takes) return refuse_range(key, number, takes);
        if (!is_number && numeric_key(key)) /* "50", null: not a number */
          return refuse("%s takes a number, not %s", key, is_text ? "a string" : "null, an array or an object");
        if (is_text && strcmp(key, KEY_CERTIFICATE) == 0 && (strlen(text) >= sizeof text - 1 || !valid_certificate(text)))
          return refuse(CERTIFICATE_TAKES);
        if (apply) {
          int rc = is_number ? params_set_number(scope, key, number) : is_text ? params_set_string(key, text) : ERR_OK;
          if (rc != ERR_OK) return rc;
        }
        skip_ws(&c);
        if (*c.p == ',') {
          c.p++;
          continue;
        }
        if (*c.p != '}') return malformed(json, &c, "',' or '}'");
        c.p++;
        break;
      }
    }
    skip_ws(&c);
    if (*c.p) return malformed(json, &c, "nothing after the closing '}'");
  }
  return ERR_OK;
}

int params_valid_array(const char* json) {
  cursor c = {json, 0};
  skip_ws(&c);
  if (*c.p != '[' || !parse_container(&c, '[', ']')) return 0;
  skip_ws(&c);
  return *c.p == 0;
}
