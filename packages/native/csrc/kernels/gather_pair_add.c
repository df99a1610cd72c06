// out[e] = edge[e] + table[first[e], :m] + table[second[e], m:], table [rows, 2m]: the per-node
// halves of a message's first dense layer, gathered to the edges and added to the per-edge half.
#include "variant.h"

typedef struct {
  const float *edge, *table;
  const int32_t *first, *second;
  float *out;
  size_t edges, m;
} pair_add;

static void HT_FN(pair_add_block)(void *context, size_t block) {
  pair_add *c = context;
  size_t m = c->m, e0 = block * HT_EDGE_BLOCK, e1 = ht_block_end(block, HT_EDGE_BLOCK, c->edges);
  for (size_t e = e0; e < e1; e++) {
    const float *x = c->edge + e * m, *a = c->table + (size_t)c->first[e] * 2 * m,
                *b = c->table + (size_t)c->second[e] * 2 * m + m;
    float *o = c->out + e * m;
    for (size_t k = 0; k < m; k++) o[k] = x[k] + a[k] + b[k];
  }
}

int HT_FN(ht_gather_pair_add)(const float *edge, const float *table, size_t rows, const int32_t *first,
                              const int32_t *second, float *out, size_t edges, size_t m, size_t *bad_edge) {
  if (ht_check_index(first, edges, rows, bad_edge) || ht_check_index(second, edges, rows, bad_edge)) return HT_BAD_INDEX;
  pair_add context = {edge, table, first, second, out, edges, m};
  ht_parallel_blocks((edges + HT_EDGE_BLOCK - 1) / HT_EDGE_BLOCK, HT_MIN_CHUNKS_PER_THREAD, HT_FN(pair_add_block), &context);
  return HT_OK;
}
