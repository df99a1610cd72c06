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

void ht_blas_sgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, const float *a, const float *b, float *c) {
  cblas_sgemm(CblasRowMajor, trans_a ? CblasTrans : CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, (int)m, (int)n,
              (int)k, 1.0f, a, trans_a ? (int)m : (int)k, b, trans_b ? (int)k : (int)n, 0.0f, c, (int)n);
}
#else
int ht_blas_available(void) { return 0; }
const char *ht_blas_name(void) { return ""; }
void ht_blas_set_threads(int threads) { ht_set_kernel_threads(threads); }
int ht_blas_threads(void) { return 0; }
void ht_blas_sgemm(int trans_a, int trans_b, size_t m, size_t n, size_t k, const float *a, const float *b, float *c) {
  (void)trans_a, (void)trans_b, (void)m, (void)n, (void)k, (void)a, (void)b, (void)c;
}
#endif
