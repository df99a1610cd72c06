// Where each dense product runs: narrow shapes on the AVX-512 tiles when this CPU has AVX-512F
// (and the build had a compiler for it), everything else through the BLAS.
#include "hypertrack_native.h"

#ifdef HT_HAVE_AVX512
static int narrow_state = -1;
static int narrow_available(void) {
  if (narrow_state < 0) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    narrow_state = __builtin_cpu_supports("avx512f") ? 1 : 0;
#else
    narrow_state = 0;
#endif
  }
  return narrow_state;
}
#else
static int narrow_available(void) { return 0; }
int ht_narrow_gemm_fits(int trans_a, int trans_b, size_t m, size_t n, size_t k) {
  (void)trans_a, (void)trans_b, (void)m, (void)n, (void)k;
  return 0;
}
void ht_narrow_gemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, const float *a, const float *b, float *c) {
  (void)trans_a, (void)trans_b, (void)m, (void)n, (void)k, (void)a, (void)b, (void)c;
}
void ht_narrow_dense_eval(size_t m, size_t n, size_t k, const float *a, const float *b, float *c, const float *bias,
                          int act, const float *scale, const float *shift) {
  (void)m, (void)n, (void)k, (void)a, (void)b, (void)c, (void)bias, (void)act, (void)scale, (void)shift;
}
int ht_message_eval_fits(size_t d, size_t g, size_t m) {
  (void)d, (void)g, (void)m;
  return 0;
}
void ht_narrow_message_eval(const float *h, const int32_t *src, const int32_t *dst, const float *attr,
                            const float *geometry, const float *w, const float *table, float *out, size_t edges,
                            size_t d, size_t g, size_t m, int act, const float *scale, const float *shift) {
  (void)h, (void)src, (void)dst, (void)attr, (void)geometry, (void)w, (void)table, (void)out, (void)edges, (void)d;
  (void)g, (void)m, (void)act, (void)scale, (void)shift;
}
#endif

const char *ht_gemm_paths(void) {
  if (narrow_available()) return ht_blas_available() ? "avx512 tiles + blas" : "avx512 tiles";
  return ht_blas_available() ? "blas" : "";
}

int ht_gemm_runs(int trans_a, int trans_b, size_t m, size_t n, size_t k) {
  return (narrow_available() && ht_narrow_gemm_fits(trans_a, trans_b, m, n, k)) || ht_blas_available();
}

int ht_gemm_batch(int trans_a, int trans_b, size_t m, size_t n, size_t k, const float *a, size_t stride_a,
                  const float *b, size_t stride_b, float *c, size_t stride_c, size_t batch) {
  if (!ht_gemm_runs(trans_a, trans_b, m, n, k)) return 0;
  int narrow = narrow_available() && ht_narrow_gemm_fits(trans_a, trans_b, m, n, k);
  for (size_t i = 0; i < batch; i++) {
    const float *ai = a + i * stride_a, *bi = b + i * stride_b;
    float *ci = c + i * stride_c;
    if (narrow) ht_narrow_gemm(trans_a, trans_b, m, n, k, ai, bi, ci);
    else ht_blas_sgemm(trans_a, trans_b, m, n, k, ai, bi, ci);
  }
  return 1;
}

int ht_dense_eval(size_t m, size_t n, size_t k, const float *a, const float *b, float *c, const float *bias, int act,
                  const float *scale, const float *shift) {
  if (!narrow_available() || !ht_narrow_gemm_fits(0, 0, m, n, k)) return 0;
  ht_narrow_dense_eval(m, n, k, a, b, c, bias, act, scale, shift);
  return 1;
}

int ht_dense_eval_fits(size_t m, size_t n, size_t k) { return narrow_available() && ht_narrow_gemm_fits(0, 0, m, n, k); }

int ht_message_eval_runs(size_t d, size_t g, size_t m) { return narrow_available() && ht_message_eval_fits(d, g, m); }

long ht_message_eval(const float *h, size_t nodes, const int32_t *src, const int32_t *dst, const float *attr,
                     const float *geometry, const float *w, const float *table, float *out, size_t edges, size_t d,
                     size_t g, size_t m, int act, const float *scale, const float *shift) {
  if (!ht_message_eval_runs(d, g, m)) return -2;
  for (size_t e = 0; e < edges; e++) {
    if ((uint32_t)src[e] >= nodes || (uint32_t)dst[e] >= nodes) return (long)e;
  }
  ht_narrow_message_eval(h, src, dst, attr, geometry, w, table, out, edges, d, g, m, act, scale, shift);
  return -1;
}
