// out[index[r]] += x[r] over a zeroed out [rows, width]: a segment sum (tfjs ScatterNd with
// [count, 1] indices, where duplicate indices add up).
#include "variant.h"

int HT_FN(ht_scatter_add_rows)(const float *x, const int32_t *index, float *out, size_t rows, size_t count,
                               size_t width, size_t *bad_edge) {
  if (ht_check_index(index, count, rows, bad_edge)) return HT_BAD_INDEX;
  memset(out, 0, rows * width * sizeof(float));
  for (size_t r = 0; r < count; r++) {
    const float *src = x + r * width;
    float *dst = out + (size_t)index[r] * width;
    for (size_t k = 0; k < width; k++) dst[k] += src[k];
  }
  return HT_OK;
}
