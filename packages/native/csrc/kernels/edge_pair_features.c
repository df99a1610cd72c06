// out[e] = [h_j * h_i, |h_j - h_i|, <h_j, h_i>, attr_e] with j = src[e], i = dst[e]; out is
// [edges, d + 3].
#include "variant.h"

int HT_FN(ht_edge_pair_features)(const float *h, size_t nodes, const int32_t *src, const int32_t *dst,
                                 const float *attr, float *out, size_t edges, size_t d, size_t *bad_edge) {
  if (ht_check_index(src, edges, nodes, bad_edge) || ht_check_index(dst, edges, nodes, bad_edge)) return HT_BAD_INDEX;
  size_t width = d + 3;
  for (size_t e = 0; e < edges; e++) {
    const float *hj = h + (size_t)src[e] * d, *hi = h + (size_t)dst[e] * d;
    float *o = out + e * width;
    float dot = 0.0f, sq = 0.0f;
    for (size_t k = 0; k < d; k++) {
      float p = hj[k] * hi[k], diff = hj[k] - hi[k];
      o[k] = p;
      dot += p;
      sq += diff * diff;
    }
    o[d] = sqrtf(sq);
    o[d + 1] = dot;
    o[d + 2] = attr[e];
  }
  return HT_OK;
}
