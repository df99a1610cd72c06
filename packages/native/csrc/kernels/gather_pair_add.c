// out[e] = edge[e] + table[first[e], :m] + table[second[e], m:], table [rows, 2m]: the per-node
// halves of a message's first dense layer, gathered to the edges and added to the per-edge half.
#include "variant.h"

int HT_FN(ht_gather_pair_add)(const float *edge, const float *table, size_t rows, const int32_t *first,
                              const int32_t *second, float *out, size_t edges, size_t m, size_t *bad_edge) {
  if (ht_check_index(first, edges, rows, bad_edge) || ht_check_index(second, edges, rows, bad_edge)) return HT_BAD_INDEX;
  for (size_t e = 0; e < edges; e++) {
    const float *x = edge + e * m, *a = table + (size_t)first[e] * 2 * m, *b = table + (size_t)second[e] * 2 * m + m;
    float *o = out + e * m;
    for (size_t k = 0; k < m; k++) o[k] = x[k] + a[k] + b[k];
  }
  return HT_OK;
}
