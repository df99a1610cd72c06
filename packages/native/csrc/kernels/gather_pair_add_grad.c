// dtable[first[e], :m] += dy[e] and dtable[second[e], m:] += dy[e], summed over the edges.
#include "variant.h"

int HT_FN(ht_gather_pair_add_grad)(const float *dy, const int32_t *first, const int32_t *second, float *dtable,
                                   size_t rows, size_t edges, size_t m, size_t *bad_edge) {
  if (ht_check_index(first, edges, rows, bad_edge) || ht_check_index(second, edges, rows, bad_edge)) return HT_BAD_INDEX;
  memset(dtable, 0, rows * 2 * m * sizeof(float));
  for (size_t e = 0; e < edges; e++) {
    const float *g = dy + e * m;
    float *a = dtable + (size_t)first[e] * 2 * m, *b = dtable + (size_t)second[e] * 2 * m + m;
    for (size_t k = 0; k < m; k++) a[k] += g[k];
    for (size_t k = 0; k < m; k++) b[k] += g[k];
  }
  return HT_OK;
}
