/* log.c -- the engine's log file (agora_service_set_log_file, or the service
 * config's log_file_path): one line per API call that changes membership or
 * publishing and per event delivered to observers, so a user can see what the
 * engine did and when. Rotates like Agora's: past the size cap the file becomes
 * <path>.1 (replacing the previous one) and a new file starts. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "engine.h"

#define LOG_MIN_BYTES 4096

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE* log_file;
static char* log_path;
static long log_cap, log_written;

int engine_log_open(const char* path, uint64_t max_bytes) {
  if (!path || !path[0]) return -ERR_INVALID_ARGUMENT;
  FILE* f = fopen(path, "a");
  if (!f) return -ERR_INVALID_ARGUMENT; /* a folder that does not exist, or no permission */
  char* copy = strdup(path);
  if (!copy) {
    fclose(f);
    return -ERR_NOT_READY;
  }
  pthread_mutex_lock(&log_lock);
  if (log_file) fclose(log_file);
  free(log_path);
  __atomic_store_n(&log_file, f, __ATOMIC_RELAXED);
  log_path = copy;
  log_cap = max_bytes < LOG_MIN_BYTES ? LOG_MIN_BYTES : (long)(max_bytes > 1UL << 30 ? 1UL << 30 : max_bytes);
  fseek(f, 0, SEEK_END);
  log_written = ftell(f);
  pthread_mutex_unlock(&log_lock);
  engine_log("log file %s, rotated at %ld bytes", path, log_cap);
  return ERR_OK;
}

void engine_log_close(void) {
  pthread_mutex_lock(&log_lock);
  if (log_file) fclose(log_file);
  __atomic_store_n(&log_file, NULL, __ATOMIC_RELAXED);
  free(log_path);
  log_path = NULL;
  pthread_mutex_unlock(&log_lock);
}

/* The full file becomes <path>.1 and an empty one takes <path>, with no moment when either is missing
 * (a reader seeing .1 may open <path> at once, or .1 again): the full file is hard-linked under a
 * staging name and renamed over .1 (replacing the older .1 in one step), then the new file is renamed in. */
static void rotate(void) { /* log_lock held */
  size_t n = strlen(log_path) + 5;
  char* old = malloc(n);
  char* staged = malloc(n);
  char* fresh = malloc(n);
  FILE* f = NULL;
  fclose(log_file);
  if (old && staged && fresh) {
    snprintf(old, n, "%s.1", log_path);
    snprintf(staged, n, "%s.1~", log_path);
    snprintf(fresh, n, "%s.new", log_path);
    f = fopen(fresh, "w");
    unlink(staged);
    if (link(log_path, staged) != 0 || rename(staged, old) != 0)
      rename(log_path, old); /* no hard links here: the short gap it was */
    if (f && rename(fresh, log_path) != 0) {
      fclose(f);
      f = NULL;
      unlink(fresh);
    }
  }
  free(old);
  free(staged);
  free(fresh);
  if (!f) f = fopen(log_path, "w");
  __atomic_store_n(&log_file, f, __ATOMIC_RELAXED);
  log_written = 0;
}

void engine_log(const char* fmt, ...) {
  if (!__atomic_load_n(&log_file, __ATOMIC_RELAXED)) return; /* the common case: no log file */
  char line[512];
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  struct tm tm;
  gmtime_r(&now.tv_sec, &tm);
  int n = (int)strftime(line, sizeof line, "%Y-%m-%d %H:%M:%S", &tm);
  n += snprintf(line + n, sizeof line - (size_t)n, ".%03ldZ ", now.tv_nsec / 1000000);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
  va_end(ap);
  pthread_mutex_lock(&log_lock);
  if (log_file) {
    int written = fprintf(log_file, "%s\n", line);
    fflush(log_file);
    if (written > 0) log_written += written;
    if (log_written >= log_cap) rotate();
  }
  pthread_mutex_unlock(&log_lock);
}
