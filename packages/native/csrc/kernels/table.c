// The kernels of one instruction-set variant, as one table the addon picks at load.
#include "variant.h"

void HT_FN(ht_act_batchnorm)(const float *, const float *, float *, float *, float *, const float *, const float *, size_t,
                             size_t, int, float);
void HT_FN(ht_act_batchnorm_grad)(const float *, const float *, const float *, const float *, const float *, const float *,
                                  float *, float *, float *, float *, size_t, size_t, int, float);
void HT_FN(ht_act_batchnorm_eval)(const float *, const float *, float *, const float *, const float *, const float *,
                                  const float *, size_t, size_t, int, float);
int HT_FN(ht_edge_pair_features)(const float *, size_t, const int32_t *, const int32_t *, const float *, float *, size_t,
                                 size_t, size_t *);
int HT_FN(ht_edge_pair_features_grad)(const float *, size_t, const int32_t *, const int32_t *, const float *, float *,
                                      float *, size_t, size_t, size_t *);
int HT_FN(ht_gather_pair_add)(const float *, const float *, size_t, const int32_t *, const int32_t *, float *, size_t,
                              size_t, size_t *);
int HT_FN(ht_gather_pair_add_grad)(const float *, const int32_t *, const int32_t *, float *, size_t, size_t, size_t,
                                   size_t *);
int HT_FN(ht_gather_rows)(const float *, size_t, const int32_t *, float *, size_t, size_t, size_t *);
int HT_FN(ht_scatter_add_rows)(const float *, const int32_t *, float *, size_t, size_t, size_t, size_t *);

const ht_kernels HT_CAT(ht_kernels, HT_VARIANT) = {
    HT_FN(ht_act_batchnorm),   HT_FN(ht_act_batchnorm_grad), HT_FN(ht_act_batchnorm_eval),
    HT_FN(ht_edge_pair_features), HT_FN(ht_edge_pair_features_grad), HT_FN(ht_gather_pair_add),
    HT_FN(ht_gather_pair_add_grad), HT_FN(ht_gather_rows),   HT_FN(ht_scatter_add_rows),
};
