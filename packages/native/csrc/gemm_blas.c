// Dense products through the system's BLAS (cblas_sgemm). Built with -DHT_BLAS=<name> when the
// build found a CBLAS to link; without it the addon reports no BLAS and the caller keeps its own
// product.
#include "hypertrack_native.h"
#include "parallel.h"

#ifdef HT_BLAS
#include <cblas.h>
#define HT_STR2(x) #x
#define HT_STR(x) HT_STR2(x)

// OpenBLAS's thread controls, when the BLAS linked is OpenBLAS (weak: other BLAS lack them).
extern void openblas_set_num_threads(int) __attribute__((weak));
extern int openblas_get_num_threads(void) __attribute__((weak));

int ht_blas_available(void) { return 1; }
const char *ht_blas_name(void) { return HT_STR(HT_BLAS); }
void ht_blas_set_threads(int threads) {
  if (openblas_set_num_threads) openblas_set_num_threads(threads);
  ht_set_kernel_threads(threads);
}
int ht_blas_threads(void) { return openblas_get_num_threads ? openblas_get_num_threads() : 1; }

void ht_sgemm_batch(int trans_a, int trans_b, size_t m, size_t n, size_t k, const float *a, size_t stride_a,
                    const float *b, size_t stride_b, float *c, size_t stride_c, size_t batch) {
  for (size_t i = 0; i < batch; i++) {
    cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, (int)m,
                (int)n, (int)k, 1.0f, a + i * stride_a, trans_a ? (int)m : (int)k, b + i * stride_b,
                trans_b ? (int)k : (int)n, 0.0f, c + i * stride_c, (int)n);
  }
}
#else
int ht_blas_available(void) { return 0; }
const char *ht_blas_name(void) { return ""; }
void ht_blas_set_threads(int threads) { ht_set_kernel_threads(threads); }
int ht_blas_threads(void) { return 0; }
void ht_sgemm_batch(int trans_a, int trans_b, size_t m, size_t n, size_t k, const float *a, size_t stride_a,
                    const float *b, size_t stride_b, float *c, size_t stride_c, size_t batch) {
  (void)trans_a, (void)trans_b, (void)m, (void)n, (void)k, (void)a, (void)stride_a, (void)b, (void)stride_b;
  (void)c, (void)stride_c, (void)batch;
}
#endif
