// out[r] = x[index[r]]: a row gather (tfjs GatherNd with [count, 1] indices).
#include "variant.h"

typedef struct {
  const float *x;
  const int32_t *index;
  float *out;
  size_t count, width;
} rows_gather;

static void HT_FN(gather_block)(void *context, size_t block) {
  rows_gather *c = context;
  size_t r0 = block * HT_EDGE_BLOCK, r1 = ht_block_end(block, HT_EDGE_BLOCK, c->count);
  for (size_t r = r0; r < r1; r++) memcpy(c->out + r * c->width, c->x + (size_t)c->index[r] * c->width, c->width * sizeof(float));
}

int HT_FN(ht_gather_rows)(const float *x, size_t rows, const int32_t *index, float *out, size_t count, size_t width,
                          size_t *bad_edge) {
  if (ht_check_index(index, count, rows, bad_edge)) return HT_BAD_INDEX;
  rows_gather context = {x, index, out, count, width};
  ht_parallel_blocks((count + HT_EDGE_BLOCK - 1) / HT_EDGE_BLOCK, HT_MIN_CHUNKS_PER_THREAD, HT_FN(gather_block), &context);
  return HT_OK;
}
