// out[e] = [h_j * h_i, |h_j - h_i|, <h_j, h_i>, attr_e] with j = src[e], i = dst[e]; out is
// [edges, d + 3]. Blocks of edges write disjoint rows, so they run in parallel.
#include "variant.h"

typedef struct {
  const float *h, *attr;
  const int32_t *src, *dst;
  float *out;
  size_t edges, d;
} pair_forward;

static void HT_FN(pair_block)(void *context, size_t block) {
  pair_forward *c = context;
  size_t d = c->d, width = d + 3, e0 = block * HT_EDGE_BLOCK, e1 = ht_block_end(block, HT_EDGE_BLOCK, c->edges);
  for (size_t e = e0; e < e1; e++) {
    const float *hj = c->h + (size_t)c->src[e] * d, *hi = c->h + (size_t)c->dst[e] * d;
    float *o = c->out + e * width;
    float dot, sq;
    ht_pair_products(hj, hi, o, d, &dot, &sq);
    o[d] = sqrtf(sq);
    o[d + 1] = dot;
    o[d + 2] = c->attr[e];
  }
}

int HT_FN(ht_edge_pair_features)(const float *h, size_t nodes, const int32_t *src, const int32_t *dst,
                                 const float *attr, float *out, size_t edges, size_t d, size_t *bad_edge) {
  if (ht_check_index(src, edges, nodes, bad_edge) || ht_check_index(dst, edges, nodes, bad_edge)) return HT_BAD_INDEX;
  pair_forward context = {h, attr, src, dst, out, edges, d};
  ht_parallel_blocks((edges + HT_EDGE_BLOCK - 1) / HT_EDGE_BLOCK, HT_MIN_CHUNKS_PER_THREAD, HT_FN(pair_block), &context);
  return HT_OK;
}
