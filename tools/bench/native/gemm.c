// Measuring instrument for issue 15 (native speed): C = A * B in float32 three ways, called from
// Node through Node-API, so tools/bench/native-gemm.bench.mjs can time them beside tfjs-wasm.
//   mode 0: a plain AVX2/FMA kernel (8x8 register tile, packed B panel), one thread
//   mode 1: OpenBLAS cblas_sgemm (the system's BLAS; threads from OPENBLAS_NUM_THREADS)
// A [m, k], B [k, n], C [m, n], row-major; transA reads A as [k, m] (the weight gradient A^T B).
#include <node_api.h>
#include <cblas.h>
#include <immintrin.h>
#include <stdlib.h>
#include <string.h>

static void gemm_avx2(const float *A, const float *B, float *C, int m, int n, int k, int transA) {
  memset(C, 0, sizeof(float) * (size_t)m * n);
  float *panel = aligned_alloc(32, sizeof(float) * (size_t)k * 8);
  for (int j0 = 0; j0 < n; j0 += 8) {
    int nb = n - j0 < 8 ? n - j0 : 8;
    for (int p = 0; p < k; p++) {
      for (int j = 0; j < 8; j++) panel[p * 8 + j] = j < nb ? B[(size_t)p * n + j0 + j] : 0.0f;
    }
    int i = 0;
    for (; i + 8 <= m; i += 8) {
      __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps(), c2 = _mm256_setzero_ps(), c3 = _mm256_setzero_ps();
      __m256 c4 = _mm256_setzero_ps(), c5 = _mm256_setzero_ps(), c6 = _mm256_setzero_ps(), c7 = _mm256_setzero_ps();
      for (int p = 0; p < k; p++) {
        __m256 b = _mm256_load_ps(panel + p * 8);
        const float *a = transA ? A + (size_t)p * m + i : A + (size_t)i * k + p;
        size_t s = transA ? 1 : (size_t)k;
        c0 = _mm256_fmadd_ps(_mm256_broadcast_ss(a + 0 * s), b, c0);
        c1 = _mm256_fmadd_ps(_mm256_broadcast_ss(a + 1 * s), b, c1);
        c2 = _mm256_fmadd_ps(_mm256_broadcast_ss(a + 2 * s), b, c2);
        c3 = _mm256_fmadd_ps(_mm256_broadcast_ss(a + 3 * s), b, c3);
        c4 = _mm256_fmadd_ps(_mm256_broadcast_ss(a + 4 * s), b, c4);
        c5 = _mm256_fmadd_ps(_mm256_broadcast_ss(a + 5 * s), b, c5);
        c6 = _mm256_fmadd_ps(_mm256_broadcast_ss(a + 6 * s), b, c6);
        c7 = _mm256_fmadd_ps(_mm256_broadcast_ss(a + 7 * s), b, c7);
      }
      __m256 rows[8] = {c0, c1, c2, c3, c4, c5, c6, c7};
      for (int r = 0; r < 8; r++) {
        float tmp[8];
        _mm256_storeu_ps(tmp, rows[r]);
        memcpy(C + (size_t)(i + r) * n + j0, tmp, sizeof(float) * nb);
      }
    }
    for (; i < m; i++) {
      for (int p = 0; p < k; p++) {
        float a = transA ? A[(size_t)p * m + i] : A[(size_t)i * k + p];
        for (int j = 0; j < nb; j++) C[(size_t)i * n + j0 + j] += a * panel[p * 8 + j];
      }
    }
  }
  free(panel);
}

static float *floats(napi_env env, napi_value v, size_t *length) {
  napi_typedarray_type type;
  void *data;
  napi_get_typedarray_info(env, v, &type, length, &data, NULL, NULL);
  return (float *)data;
}

// gemm(A, B, C, m, n, k, transA, mode)
static napi_value Gemm(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  size_t la, lb, lc;
  float *A = floats(env, argv[0], &la), *B = floats(env, argv[1], &lb), *C = floats(env, argv[2], &lc);
  int32_t m, n, k, transA, mode;
  napi_get_value_int32(env, argv[3], &m);
  napi_get_value_int32(env, argv[4], &n);
  napi_get_value_int32(env, argv[5], &k);
  napi_get_value_int32(env, argv[6], &transA);
  napi_get_value_int32(env, argv[7], &mode);
  if (mode == 1) {
    cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, A, transA ? m : k, B, n, 0.0f, C, n);
  } else {
    gemm_avx2(A, B, C, m, n, k, transA);
  }
  return NULL;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "gemm", NAPI_AUTO_LENGTH, Gemm, NULL, &fn);
  napi_set_named_property(env, exports, "gemm", fn);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
