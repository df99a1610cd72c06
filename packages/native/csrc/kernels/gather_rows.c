// out[r] = x[index[r]]: a row gather (tfjs GatherNd with [count, 1] indices).
#include "variant.h"

int HT_FN(ht_gather_rows)(const float *x, size_t rows, const int32_t *index, float *out, size_t count, size_t width,
                          size_t *bad_edge) {
  if (ht_check_index(index, count, rows, bad_edge)) return HT_BAD_INDEX;
  for (size_t r = 0; r < count; r++) memcpy(out + r * width, x + (size_t)index[r] * width, width * sizeof(float));
  return HT_OK;
}
