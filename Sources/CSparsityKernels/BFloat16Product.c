// Approximate products in bfloat16 with AVX512-BF16 (AMD Zen 4, Intel Cooper Lake and later):
// VDPBF16PS multiplies pairs of bfloat16 values and adds them to float32 sums, twice the
// multiply-adds per instruction of a float32 FMA. The rounding to bfloat16 costs about 2^-8 of
// each value, so these products only rank candidates: the callers recompute in float32 the few
// entries that can matter and bound the error of the rest (see sparsity_bf16_pack_rows).
//
// Layouts. Rows (`sparsity_bf16_pack_rows`): each row's values rounded to bfloat16, two per
// 32-bit word (value 2p in the low half of word p), `pairs` words per row, zero past the width.
// Panel (`sparsity_bf16_pack_panel`): the rows of a weight matrix in groups of 16; group g
// holds, for each pair p, the 16 rows' words p in row order: word (g * pairs + p) * 16 + l is
// row 16 g + l's word p, zero past the last row. One 64-byte load then feeds one VDPBF16PS for
// 16 outputs.
#include "CSparsityKernels.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

#define BF16_TARGET __attribute__((target("avx,avx2,fma,avx512f,avx512vl,avx512dq,avx512bw,avx512bf16")))

int32_t sparsity_bf16_detected(void) {
  if (sparsity_detected_isa() != SPARSITY_ISA_AVX512) return 0;
  unsigned int a, b, c, d;
  if (!__get_cpuid_count(7, 1, &a, &b, &c, &d)) return 0;
  return (a >> 5) & 1;  // CPUID.(EAX=7, ECX=1):EAX bit 5, AVX512_BF16
}

// Round to nearest even, as VCVTNE2PS2BF16 does for normal numbers (the inputs here are finite).
static inline uint32_t bf16_bits(float x) {
  uint32_t u;
  memcpy(&u, &x, 4);
  return (u + 0x7fff + ((u >> 16) & 1)) >> 16;
}

static inline float bf16_value(uint32_t bits) {
  uint32_t u = bits << 16;
  float x;
  memcpy(&x, &u, 4);
  return x;
}

// One row's words and the norms of its rounded values and of the rounding errors, in double.
BF16_TARGET static void pack_row(const float *x, int64_t width, int64_t pairs, uint32_t *out, double *norms) {
  __m512d rounded = _mm512_setzero_pd(), error = _mm512_setzero_pd();
  int64_t c = 0;
  for (; c + 32 <= width; c += 32) {
    const __m512 low = _mm512_loadu_ps(x + c), high = _mm512_loadu_ps(x + c + 16);
    const __m512i words = (__m512i)_mm512_cvtne2ps_pbh(high, low);
    _mm512_storeu_si512((void *)(out + c / 2), words);
    // Back to float: the low halves of the words shifted up, and the high halves masked.
    const __m512 lowBack = _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm512_castsi512_si256(words)), 16));
    const __m512 highBack =
      _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm512_extracti64x4_epi64(words, 1)), 16));
    const __m512 parts[2][2] = {{low, lowBack}, {high, highBack}};
    for (int h = 0; h < 2; h++) {
      const __m512 value = parts[h][0], back = parts[h][1];
      const __m512d b0 = _mm512_cvtps_pd(_mm512_castps512_ps256(back));
      const __m512d b1 = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(back), 1)));
      const __m512d e0 = _mm512_sub_pd(_mm512_cvtps_pd(_mm512_castps512_ps256(value)), b0);
      const __m512d e1 =
        _mm512_sub_pd(_mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(value), 1))), b1);
      rounded = _mm512_fmadd_pd(b0, b0, _mm512_fmadd_pd(b1, b1, rounded));
      error = _mm512_fmadd_pd(e0, e0, _mm512_fmadd_pd(e1, e1, error));
    }
  }
  double r = _mm512_reduce_add_pd(rounded), e = _mm512_reduce_add_pd(error);
  for (int64_t p = c / 2; p < pairs; p++) {
    const int64_t c0 = 2 * p, c1 = 2 * p + 1;
    const uint32_t w0 = c0 < width ? bf16_bits(x[c0]) : 0, w1 = c1 < width ? bf16_bits(x[c1]) : 0;
    out[p] = w0 | (w1 << 16);
    const double b0 = bf16_value(w0), b1 = bf16_value(w1);
    const double e0 = c0 < width ? x[c0] - b0 : 0, e1 = c1 < width ? x[c1] - b1 : 0;
    r += b0 * b0 + b1 * b1;
    e += e0 * e0 + e1 * e1;
  }
  norms[0] = sqrt(r);
  norms[1] = sqrt(e);
}

void sparsity_bf16_pack_rows(
  uint32_t *out, double *norms, const float *x, int64_t ldx, int64_t rows, int64_t width, int64_t pairs) {
  for (int64_t r = 0; r < rows; r++) pack_row(x + r * ldx, width, pairs, out + r * pairs, norms + 2 * r);
}

void sparsity_bf16_pack_panel(
  uint32_t *out, double *norms, const float *w, int64_t rows, int64_t width, int64_t pairs, int64_t group_begin,
  int64_t group_end, uint32_t *scratch) {
  for (int64_t g = group_begin; g < group_end; g++) {
    uint32_t *group = out + g * pairs * 16;
    for (int64_t l = 0; l < 16; l++) {
      const int64_t row = 16 * g + l;
      if (row < rows) {
        pack_row(w + row * width, width, pairs, scratch, norms + 2 * row);
        for (int64_t p = 0; p < pairs; p++) group[p * 16 + l] = scratch[p];
      } else {
        for (int64_t p = 0; p < pairs; p++) group[p * 16 + l] = 0;
      }
    }
  }
}

// C[i][16 g + lane] for `rows` rows and `groups` groups (compile-time constants once inlined):
// the sums over all pairs stay in registers (12 x 2 = 24 of the 32).
__attribute__((always_inline)) BF16_TARGET static inline void tile(
  const int rows, const int groups, float *c, int64_t ldc, const uint32_t *a, int64_t pairs, const uint32_t *b,
  const float *bias, int64_t columns) {
  __m512 sums[12][2];
  _Pragma("unroll") for (int i = 0; i < rows; i++) _Pragma("unroll") for (int g = 0; g < groups; g++) sums[i][g] =
    _mm512_setzero_ps();
  for (int64_t p = 0; p < pairs; p++) {
    __m512bh w[2];
    _Pragma("unroll") for (int g = 0; g < groups; g++) w[g] =
      (__m512bh)_mm512_loadu_si512((const void *)(b + (g * pairs + p) * 16));
    _Pragma("unroll") for (int i = 0; i < rows; i++) {
      const __m512bh x = (__m512bh)_mm512_set1_epi32((int)a[i * pairs + p]);
      _Pragma("unroll") for (int g = 0; g < groups; g++) sums[i][g] = _mm512_dpbf16_ps(sums[i][g], x, w[g]);
    }
  }
  _Pragma("unroll") for (int g = 0; g < groups; g++) {
    const int64_t left = columns - 16 * g;
    const __mmask16 mask = left >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << left) - 1);
    const __m512 add = bias ? _mm512_maskz_loadu_ps(mask, bias + 16 * g) : _mm512_setzero_ps();
    _Pragma("unroll") for (int i = 0; i < rows; i++)
      _mm512_mask_storeu_ps(c + i * ldc + 16 * g, mask, _mm512_add_ps(sums[i][g], add));
  }
}

#define PRODUCT_TILE(ROWS, GROUPS)                                                                             \
  BF16_TARGET static void tile_##ROWS##_##GROUPS(                                                              \
    float *c, int64_t ldc, const uint32_t *a, int64_t pairs, const uint32_t *b, const float *bias, int64_t columns) { \
    tile(ROWS, GROUPS, c, ldc, a, pairs, b, bias, columns);                                                    \
  }

PRODUCT_TILE(12, 2)
PRODUCT_TILE(4, 2)
PRODUCT_TILE(1, 2)
PRODUCT_TILE(12, 1)
PRODUCT_TILE(4, 1)
PRODUCT_TILE(1, 1)

void sparsity_bf16_product(
  float *c, int64_t ldc, const uint32_t *a, int64_t rows, int64_t pairs, const uint32_t *panel, int64_t columns,
  int64_t group_begin, int64_t group_end, const float *bias) {
  for (int64_t g = group_begin; g < group_end;) {
    const int two = g + 1 < group_end;
    const uint32_t *b = panel + g * pairs * 16;
    float *out = c + 16 * g;
    const float *add = bias ? bias + 16 * g : NULL;
    const int64_t left = columns - 16 * g;
    int64_t r = 0;
    if (two) {
      for (; r + 12 <= rows; r += 12) tile_12_2(out + r * ldc, ldc, a + r * pairs, pairs, b, add, left);
      for (; r + 4 <= rows; r += 4) tile_4_2(out + r * ldc, ldc, a + r * pairs, pairs, b, add, left);
      for (; r < rows; r++) tile_1_2(out + r * ldc, ldc, a + r * pairs, pairs, b, add, left);
    } else {
      for (; r + 12 <= rows; r += 12) tile_12_1(out + r * ldc, ldc, a + r * pairs, pairs, b, add, left);
      for (; r + 4 <= rows; r += 4) tile_4_1(out + r * ldc, ldc, a + r * pairs, pairs, b, add, left);
      for (; r < rows; r++) tile_1_1(out + r * ldc, ldc, a + r * pairs, pairs, b, add, left);
    }
    g += two ? 2 : 1;
  }
}

#else
int32_t sparsity_bf16_detected(void) { return 0; }

void sparsity_bf16_pack_rows(
  uint32_t *out, double *norms, const float *x, int64_t ldx, int64_t rows, int64_t width, int64_t pairs) {
  (void)out, (void)norms, (void)x, (void)ldx, (void)rows, (void)width, (void)pairs;
}

void sparsity_bf16_pack_panel(
  uint32_t *out, double *norms, const float *w, int64_t rows, int64_t width, int64_t pairs, int64_t group_begin,
  int64_t group_end, uint32_t *scratch) {
  (void)out, (void)norms, (void)w, (void)rows, (void)width, (void)pairs, (void)group_begin, (void)group_end,
    (void)scratch;
}

void sparsity_bf16_product(
  float *c, int64_t ldc, const uint32_t *a, int64_t rows, int64_t pairs, const uint32_t *panel, int64_t columns,
  int64_t group_begin, int64_t group_end, const float *bias) {
  (void)c, (void)ldc, (void)a, (void)rows, (void)pairs, (void)panel, (void)columns, (void)group_begin,
    (void)group_end, (void)bias;
}
#endif
