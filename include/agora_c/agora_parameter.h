/* agora_parameter.h -- the parameter object ("agora_parameter_*"): JSON and typed keys. */
#pragma once

#include "agora_base.h"

#ifdef __cplusplus
extern "C" {
#endif

AGORA_API_C_INT agora_parameter_set_parameters(AGORA_HANDLE agora_parameter, const char* json_src);
AGORA_API_C_INT agora_parameter_set_int(AGORA_HANDLE agora_parameter, const char* key, int value);
AGORA_API_C_INT agora_parameter_set_bool(AGORA_HANDLE agora_parameter, const char* key, int value);
AGORA_API_C_INT agora_parameter_set_number(AGORA_HANDLE agora_parameter, const char* key, double value);
AGORA_API_C_INT agora_parameter_set_string(AGORA_HANDLE agora_parameter, const char* key, const char* value);
AGORA_API_C_INT agora_parameter_get_int(AGORA_HANDLE agora_parameter, const char* key, int* value);
AGORA_API_C_INT agora_parameter_get_number(AGORA_HANDLE agora_parameter, const char* key, double* value);

AGORA_API_C_INT agora_parameter_set_uint(AGORA_HANDLE agora_parameter, const char* key, unsigned int value);
AGORA_API_C_INT agora_parameter_set_array(AGORA_HANDLE agora_parameter, const char* key, const char* json_src);
AGORA_API_C_INT agora_parameter_get_bool(AGORA_HANDLE agora_parameter, const char* key, int* value);
AGORA_API_C_INT agora_parameter_get_uint(AGORA_HANDLE agora_parameter, const char* key, unsigned int* value);
/* The string/object/array getters fill value (capacity *length) and set *length. */
AGORA_API_C_INT agora_parameter_get_string(AGORA_HANDLE agora_parameter, const char* key, char* value, uint32_t* length);
AGORA_API_C_INT agora_parameter_get_object(AGORA_HANDLE agora_parameter, const char* key, char* value, uint32_t* length);
AGORA_API_C_INT agora_parameter_get_array(AGORA_HANDLE agora_parameter, const char* key, const char* json_src, char* value,
                                          uint32_t* length);
AGORA_API_C_INT agora_parameter_convert_path(AGORA_HANDLE agora_parameter, const char* file_path, char* value, uint32_t* length);

#ifdef __cplusplus
}
#endif
