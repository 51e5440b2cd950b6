/* service.c -- the service object, the global engine state and the parameter
 * object. One initialized service at a time owns the engine thread. */
#include <stdlib.h>
#include <string.h>

#include "engine.h"

engine g_engine = {
    .lock = PTHREAD_MUTEX_INITIALIZER,
    .clock_speed = 1.0,
    .next_conn_id = 1,
    .next_uid = 1000,
};

static pthread_once_t conds_once = PTHREAD_ONCE_INIT;

static void init_conds(void) {
  pthread_condattr_t attr;
  pthread_condattr_init(&attr);
#ifndef __APPLE__
  pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
#endif
  pthread_cond_init(&g_engine.wake, &attr);
  pthread_cond_init(&g_engine.cb_done, NULL);
  pthread_condattr_destroy(&attr);
}

AGORA_API_C_HDL agora_service_create(void) {
  pthread_once(&conds_once, init_conds);
  service* s = calloc(1, sizeof *s);
  if (!s) return NULL;
  s->magic = MAGIC_SERVICE;
  s->parameter.magic = MAGIC_PARAMETER;
  return s;
}

static int valid_app_id(const char* app_id) {
  size_t n = app_id ? strlen(app_id) : 0;
  return n > 0 && n <= MAX_ID_LEN;
}

AGORA_API_C_INT agora_service_initialize(AGORA_HANDLE agora_svc, const agora_service_config* config) {
  service* s = agora_svc;
  if (!s || s->magic != MAGIC_SERVICE || !config) return -ERR_INVALID_ARGUMENT;
  if (!valid_app_id(config->app_id)) return -ERR_INVALID_APP_ID;
  pthread_mutex_lock(&g_engine.lock);
  int rc = ERR_OK;
  if (s->released || s->initialized) {
    rc = -ERR_INVALID_STATE;
  } else if (g_engine.active) {
    rc = -ERR_ALREADY_IN_USE; /* one initialized service per process */
  } else {
    if (config->log_file_path && config->log_file_path[0]) {
      uint64_t kb = config->log_file_size_kb ? config->log_file_size_kb : 5 * 1024;
      rc = engine_log_open(config->log_file_path, kb * 1024);
    }
    s->config = *config;
    strcpy(s->app_id, config->app_id);
    s->config.app_id = s->app_id;
    s->config.log_file_path = s->config.data_dir = s->config.config_dir = NULL;
    s->config.context = NULL;
    if (rc == ERR_OK) rc = engine_start_thread();
    if (rc == ERR_OK) {
      s->initialized = 1;
      g_engine.active = s;
      engine_log("service initialized: app id %.8s..., audio scenario %d, string uids %d", s->app_id,
                 config->audio_scenario, config->use_string_uid);
    }
  }
  pthread_mutex_unlock(&g_engine.lock);
  return rc;
}

AGORA_API_C_INT agora_service_release(AGORA_HANDLE agora_svc) {
  service* s = agora_svc;
  if (!s || s->magic != MAGIC_SERVICE) return -ERR_INVALID_ARGUMENT;
  pthread_mutex_lock(&g_engine.lock);
  if (engine_on_engine_thread()) {
    pthread_mutex_unlock(&g_engine.lock);
    return -ERR_INVALID_STATE; /* the engine thread cannot join itself */
  }
  if (g_engine.active == s) {
    /* Connections still open leave their channels now; their handles stay
     * valid until destroyed (the official SDK destroys children later). */
    for (int i = 0; i < g_engine.conn_count; i++) {
      connection* c = g_engine.conns[i];
      if (c->service == s && c->channel) channel_leave(c, USER_OFFLINE_QUIT);
      if (c->service == s) c->state = CONNECTION_STATE_DISCONNECTED;
    }
    g_engine.active = NULL;
    g_engine.app_certificate[0] = 0; /* security settings belong to the service */
    g_engine.time_offset_s = 0;
    memset(&g_engine.faults, 0, sizeof g_engine.faults); /* and so do injected faults... */
    g_engine.clock_speed = 1.0;                          /* ...and the test clock */
    g_engine.extra_send_frames = g_engine.mute_data_off = 0;
    engine_stop_thread(); /* drops the lock while joining */
    events_discard();
    engine_log("service released");
    engine_log_close();
  }
  s->released = 1;
  s->initialized = 0;
  int free_now = s->refs == 0;
  if (free_now) s->magic = MAGIC_DEAD;
  pthread_mutex_unlock(&g_engine.lock);
  if (free_now) free(s);
  return ERR_OK;
}

AGORA_API_C_INT agora_service_set_log_file(AGORA_HANDLE agora_svc, const char* file_path, unsigned int file_size) {
  service* s = agora_svc;
  if (!s || s->magic != MAGIC_SERVICE || !file_path) return -ERR_INVALID_ARGUMENT;
  return engine_log_open(file_path, file_size); /* bytes: the official Python passes 512 * 1024 */
}

AGORA_API_C_INT agora_service_set_log_filter(AGORA_HANDLE agora_svc, unsigned int filters) {
  service* s = agora_svc;
  (void)filters;
  if (!s || s->magic != MAGIC_SERVICE) return -ERR_INVALID_ARGUMENT;
  return ERR_OK;
}

AGORA_API_C_HDL agora_service_get_agora_parameter(AGORA_HANDLE agora_svc) {
  service* s = agora_svc;
  if (!s || s->magic != MAGIC_SERVICE) return NULL;
  return &s->parameter;
}

/* ---- the parameter object: one engine-wide store, reached from any handle ---- */

static int parameter_ok(AGORA_HANDLE h) {
  parameter* p = h;
  return p && p->magic == MAGIC_PARAMETER;
}

AGORA_API_C_INT agora_parameter_set_parameters(AGORA_HANDLE agora_parameter, const char* json_src) {
  if (!parameter_ok(agora_parameter) || !json_src) return params_bad_call();
  return params_apply_json(agora_parameter, json_src);
}

AGORA_API_C_INT agora_parameter_set_int(AGORA_HANDLE agora_parameter, const char* key, int value) {
  if (!parameter_ok(agora_parameter) || !key) return params_bad_call();
  return params_set_number(agora_parameter, key, value);
}

AGORA_API_C_INT agora_parameter_set_bool(AGORA_HANDLE agora_parameter, const char* key, int value) {
  if (!parameter_ok(agora_parameter) || !key) return params_bad_call();
  return params_set_number(agora_parameter, key, value ? 1 : 0);
}

AGORA_API_C_INT agora_parameter_set_number(AGORA_HANDLE agora_parameter, const char* key, double value) {
  if (!parameter_ok(agora_parameter) || !key) return params_bad_call();
  return params_set_number(agora_parameter, key, value);
}

AGORA_API_C_INT agora_parameter_set_string(AGORA_HANDLE agora_parameter, const char* key, const char* value) {
  if (!parameter_ok(agora_parameter) || !key || !value) return params_bad_call();
  return params_set_string(key, value); /* as in a JSON document: a number key refuses a string */
}

AGORA_API_C_INT agora_parameter_get_int(AGORA_HANDLE agora_parameter, const char* key, int* value) {
  double v;
  if (!parameter_ok(agora_parameter) || !key || !value) return -ERR_INVALID_ARGUMENT;
  int rc = params_get_number(agora_parameter, key, &v);
  if (rc == ERR_OK) *value = (int)v;
  return rc;
}

AGORA_API_C_INT agora_parameter_get_number(AGORA_HANDLE agora_parameter, const char* key, double* value) {
  if (!parameter_ok(agora_parameter) || !key || !value) return -ERR_INVALID_ARGUMENT;
  return params_get_number(agora_parameter, key, value);
}

AGORA_API_C_INT agora_parameter_set_uint(AGORA_HANDLE agora_parameter, const char* key, unsigned int value) {
  if (!parameter_ok(agora_parameter) || !key) return params_bad_call();
  return params_set_number(agora_parameter, key, value);
}

/* An array value: validated as JSON ("[...]") and accepted; no loopback key takes one. */
AGORA_API_C_INT agora_parameter_set_array(AGORA_HANDLE agora_parameter, const char* key, const char* json_src) {
  if (!parameter_ok(agora_parameter) || !key || !json_src) return params_bad_call();
  return params_valid_array(json_src) ? params_accepted() : params_refuse_array(key);
}

AGORA_API_C_INT agora_parameter_get_bool(AGORA_HANDLE agora_parameter, const char* key, int* value) {
  double v;
  if (!parameter_ok(agora_parameter) || !key || !value) return -ERR_INVALID_ARGUMENT;
  int rc = params_get_number(agora_parameter, key, &v);
  if (rc == ERR_OK) *value = v != 0;
  return rc;
}

AGORA_API_C_INT agora_parameter_get_uint(AGORA_HANDLE agora_parameter, const char* key, unsigned int* value) {
  double v;
  if (!parameter_ok(agora_parameter) || !key || !value) return -ERR_INVALID_ARGUMENT;
  int rc = params_get_number(agora_parameter, key, &v);
  if (rc == ERR_OK) *value = v > 0 ? (unsigned int)v : 0;
  return rc;
}

/* No loopback key has a string, object or array value to read. */
static int no_text_value(AGORA_HANDLE h, const char* key, char* value, uint32_t* length) {
  if (!parameter_ok(h) || !key || !value || !length) return -ERR_INVALID_ARGUMENT;
  return -ERR_NOT_SUPPORTED;
}

AGORA_API_C_INT agora_parameter_get_string(AGORA_HANDLE agora_parameter, const char* key, char* value, uint32_t* length) {
  return no_text_value(agora_parameter, key, value, length);
}

AGORA_API_C_INT agora_parameter_get_object(AGORA_HANDLE agora_parameter, const char* key, char* value, uint32_t* length) {
  return no_text_value(agora_parameter, key, value, length);
}

AGORA_API_C_INT agora_parameter_get_array(AGORA_HANDLE agora_parameter, const char* key, const char* json_src, char* value,
                                          uint32_t* length) {
  (void)json_src;
  return no_text_value(agora_parameter, key, value, length);
}

/* Paths are used as given on this host; a value buffer too short is refused. */
AGORA_API_C_INT agora_parameter_convert_path(AGORA_HANDLE agora_parameter, const char* file_path, char* value, uint32_t* length) {
  if (!parameter_ok(agora_parameter) || !file_path || !value || !length) return -ERR_INVALID_ARGUMENT;
  size_t n = strlen(file_path);
  if (n + 1 > *length) return -ERR_INVALID_ARGUMENT;
  memcpy(value, file_path, n + 1);
  *length = (uint32_t)n;
  return ERR_OK;
}

/* Extensions: the loopback's audio labels are built in, so the official SDK's
 * "agora.builtin" extensions are accepted; anything else is not available. */
AGORA_API_C_INT agora_service_enable_extension(AGORA_HANDLE agora_svc, const char* provider_name, const char* extension_name,
                                               const char* track_id, int auto_enable_on_track) {
  service* s = agora_svc;
  (void)track_id;
  (void)auto_enable_on_track;
  if (!s || s->magic != MAGIC_SERVICE || !provider_name || !extension_name) return -ERR_INVALID_ARGUMENT;
  return strcmp(provider_name, "agora.builtin") == 0 ? ERR_OK : -ERR_NOT_SUPPORTED;
}
