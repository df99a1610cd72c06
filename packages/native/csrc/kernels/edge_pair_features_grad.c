// [dh, dattr] of edge_pair_features: with g = dy[e],
//   dh_j += (g_prod + g_dot) h_i + g_norm (h_j - h_i) / |h_j - h_i|,
//   dh_i += (g_prod + g_dot) h_j - g_norm (h_j - h_i) / |h_j - h_i|,
// the norm term 0 where h_j = h_i (as PyTorch), summed over the edges; dattr = g_attr.
#include "variant.h"

int HT_FN(ht_edge_pair_features_grad)(const float *h, size_t nodes, const int32_t *src, const int32_t *dst,
                                      const float *dy, float *dh, float *dattr, size_t edges, size_t d,
                                      size_t *bad_edge) {
  if (ht_check_index(src, edges, nodes, bad_edge) || ht_check_index(dst, edges, nodes, bad_edge)) return HT_BAD_INDEX;
  size_t width = d + 3;
  memset(dh, 0, nodes * d * sizeof(float));
  for (size_t e = 0; e < edges; e++) {
    const float *hj = h + (size_t)src[e] * d, *hi = h + (size_t)dst[e] * d, *g = dy + e * width;
    float *dj = dh + (size_t)src[e] * d, *di = dh + (size_t)dst[e] * d;
    float dot, sq;
    ht_pair_products(hj, hi, NULL, d, &dot, &sq);
    float norm = sqrtf(sq);
    float g_norm = norm > 0.0f ? g[d] / norm : 0.0f, g_dot = g[d + 1];
    if (dj == di) {
      // A self-loop: both ends are the same row, and the norm term is 0.
      for (size_t k = 0; k < d; k++) dj[k] += (g[k] + g_dot) * (hi[k] + hj[k]);
    } else {
      for (size_t k = 0; k < d; k++) {
        float gp = g[k] + g_dot, gn = g_norm * (hj[k] - hi[k]);
        dj[k] += gp * hi[k] + gn;
        di[k] += gp * hj[k] - gn;
      }
    }
    dattr[e] = g[d + 2];
  }
  return HT_OK;
}
