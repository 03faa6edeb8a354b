// The dot product of a sparse row with a dense vector: one output of a CSR layer at batch 1.
// Where the CPU has hardware gathers (AVX2, AVX-512), the x[indices] loads are one gather
// instruction per 8 or 16 entries; the baseline builds the vectors from scalar loads.
#include "Multiversion.h"

#if defined(__x86_64__)
#include <immintrin.h>
#endif

SPARSITY_INLINE v8f gather8(const float *x, const int32_t *i) {
  return (v8f){x[i[0]], x[i[1]], x[i[2]], x[i[3]], x[i[4]], x[i[5]], x[i[6]], x[i[7]]};
}

// Sixteen entries a step in two eight-lane sums, then the tail one at a time.
static float sparse_dot_baseline(const int32_t *indices, const float *values, int64_t count, const float *x) {
  v8f a = (v8f){0}, b = (v8f){0};
  int64_t p = 0;
  for (; p + 16 <= count; p += 16) {
    a = a + gather8(x, indices + p) * load8(values + p);
    b = b + gather8(x, indices + p + 8) * load8(values + p + 8);
  }
  float total = sum8(a + b);
  for (; p < count; p++) total = total + values[p] * x[indices[p]];
  return total;
}

#if defined(__x86_64__)
SPARSITY_TARGET_AVX2 static float sparse_dot_avx2(const int32_t *indices, const float *values, int64_t count, const float *x) {
  __m256 a = _mm256_setzero_ps(), b = _mm256_setzero_ps();
  int64_t p = 0;
  for (; p + 16 <= count; p += 16) {
    const __m256i i0 = _mm256_loadu_si256((const __m256i *)(indices + p));
    const __m256i i1 = _mm256_loadu_si256((const __m256i *)(indices + p + 8));
    a = _mm256_fmadd_ps(_mm256_i32gather_ps(x, i0, 4), _mm256_loadu_ps(values + p), a);
    b = _mm256_fmadd_ps(_mm256_i32gather_ps(x, i1, 4), _mm256_loadu_ps(values + p + 8), b);
  }
  const __m256 s = _mm256_add_ps(a, b);
  __m128 h = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
  h = _mm_add_ps(h, _mm_movehl_ps(h, h));
  h = _mm_add_ss(h, _mm_movehdup_ps(h));
  float total = _mm_cvtss_f32(h);
  for (; p < count; p++) total = total + values[p] * x[indices[p]];
  return total;
}

SPARSITY_TARGET_AVX512 static float sparse_dot_avx512(const int32_t *indices, const float *values, int64_t count, const float *x) {
  __m512 a = _mm512_setzero_ps(), b = _mm512_setzero_ps();
  int64_t p = 0;
  for (; p + 32 <= count; p += 32) {
    const __m512i i0 = _mm512_loadu_si512(indices + p), i1 = _mm512_loadu_si512(indices + p + 16);
    a = _mm512_fmadd_ps(_mm512_i32gather_ps(i0, x, 4), _mm512_loadu_ps(values + p), a);
    b = _mm512_fmadd_ps(_mm512_i32gather_ps(i1, x, 4), _mm512_loadu_ps(values + p + 16), b);
  }
  float total = _mm512_reduce_add_ps(_mm512_add_ps(a, b));
  return total + sparse_dot_avx2(indices + p, values + p, count - p, x);
}
#endif

float sparsity_sparse_dot(int32_t isa, const int32_t *indices, const float *values, int64_t count, const float *x) {
  SPARSITY_DISPATCH(isa, sparse_dot, indices, values, count, x)
}
