/* libFuzzer target: the engine's parameters JSON parser (agora_parameter_set_parameters).
 * Any input must be accepted or refused with -ERR_INVALID_ARGUMENT; never a crash,
 * a hang or undefined behaviour. Build and run: make fuzz. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../src/engine/engine.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  char* text = malloc(size + 1);
  if (!text) return 0;
  memcpy(text, data, size);
  text[size] = 0;
  int rc = params_apply_json(NULL, text);
  if (rc != ERR_OK && rc != -ERR_INVALID_ARGUMENT) abort(); /* the only two outcomes */
  free(text);
  return 0;
}
