// Sums of shifted runs of one laid-out image: the inner loop of the direct sparse convolution.
// Every nonzero filter tap (c, i, j) reads the zero-padded input (split into its stride phases
// when the stride is above 1) at one constant offset from the output position, e.g.
// c*Hp*Wp + i*d*Wp + j*d with stride 1, so an output plane laid out with the input's row length
// is a plain weighted sum of shifted runs of the image (SparsityCore's ShiftedImage).
#include "Multiversion.h"

// out[0..<16V] = bias + sum over the entries e of the segments of values[e] * x[offsets[e] ..< +16V],
// clamped at 0 when `relu`. The sums stay in registers, in U sets that take alternate entries
// (U = 2 gives short passes enough independent chains to hide the multiply-add latency).
SPARSITY_INLINE void shifted_pass(
  float *out, const float *x, const int32_t *offsets, const float *values, const int64_t *bounds, int64_t segments,
  float bias, int32_t relu, const int V, const int U) {
  v16f acc[2][8];
  for (int k = 0; k < V; k++) {
    acc[0][k] = splat16(bias);
    acc[1][k] = (v16f){0};
  }
  for (int64_t s = 0; s < segments; s++) {
    int64_t e = bounds[2 * s];
    const int64_t end = bounds[2 * s + 1];
    for (; U == 2 && e + 2 <= end; e += 2) {
      const float *first = x + offsets[e], *second = x + offsets[e + 1];
      const v16f a = splat16(values[e]), b = splat16(values[e + 1]);
      for (int k = 0; k < V; k++) {
        acc[0][k] = acc[0][k] + a * load16(first + 16 * k);
        acc[1][k] = acc[1][k] + b * load16(second + 16 * k);
      }
    }
    for (; e < end; e++) {
      const float *source = x + offsets[e];
      const v16f w = splat16(values[e]);
      for (int k = 0; k < V; k++) acc[0][k] = acc[0][k] + w * load16(source + 16 * k);
    }
  }
  for (int k = 0; k < V; k++) {
    v16f sum = U == 2 ? acc[0][k] + acc[1][k] : acc[0][k];
    if (relu) sum = larger16((v16f){0}, sum);
    store16(out + 16 * k, sum);
  }
}

#define SHIFTED_PASS(V, U) shifted_pass(out + j, x + j, offsets, values, bounds, segments, bias, relu, V, U)

// Passes of the widest blocking the registers hold (eight vectors of sums on AVX-512's 32
// registers, four on AVX2, where a vector is two registers, two on the baseline's SSE), then
// one pass for the rest: as wide as it is, with two sets of sums when it is at most half the
// widest, so a 96-value plane (conv2 of LeNet) is one pass of six vectors on AVX-512.
SPARSITY_INLINE void shifted_sum_body(
  int32_t isa, float *out, int64_t n, float bias, int32_t relu, const float *x, const int32_t *offsets,
  const float *values, const int64_t *bounds, int64_t segments) {
  const int widest = isa == SPARSITY_ISA_AVX512 ? 8 : isa == SPARSITY_ISA_AVX2 ? 4 : 2;
  int64_t j = 0;
  for (; j + 16 * widest <= n; j += 16 * widest) {
    if (widest == 8) SHIFTED_PASS(8, 1);
    else if (widest == 4) SHIFTED_PASS(4, 1);
    else SHIFTED_PASS(2, 1);
  }
  switch ((n - j) / 16) {
  case 0: break;
  case 1: SHIFTED_PASS(1, 2); break;
  case 2: if (widest >= 4) SHIFTED_PASS(2, 2); else SHIFTED_PASS(2, 1); break;
  case 3: if (widest >= 8) SHIFTED_PASS(3, 2); else SHIFTED_PASS(3, 1); break;
  case 4: SHIFTED_PASS(4, widest >= 8 ? 2 : 1); break;
  case 5: SHIFTED_PASS(5, 1); break;
  case 6: SHIFTED_PASS(6, 1); break;
  default: SHIFTED_PASS(7, 1); break;
  }
}

SPARSITY_MULTIVERSION(
  void, shifted_sum,
  (float *out, int64_t n, float bias, int32_t relu, const float *x, const int32_t *offsets, const float *values,
   const int64_t *bounds, int64_t segments),
  out, n, bias, relu, x, offsets, values, bounds, segments)

void sparsity_shifted_sum(
  int32_t isa, float *out, int64_t n, float bias, int32_t relu, const float *x, const int32_t *offsets,
  const float *values, const int64_t *bounds, int64_t segments) {
  SPARSITY_DISPATCH(isa, shifted_sum, out, n, bias, relu, x, offsets, values, bounds, segments)
}

// The same sums laid out by output rows: out[p * columns + q] for p < rows, q < columns (at
// least 8), eight outputs a vector, each row's vectors starting at q = 0, 8, ... and the last at
// columns - 8 (overlapping the one before when 8 does not divide columns). Output position
// (p, q) reads x[offsets[e] + p * row_stride + q]. Against the wide layout, no lane computes a
// discarded column between rows (a plane of 8 x 8 outputs in rows 12 long is 8 vectors of 8
// instead of 6 of 16), and no read passes the last output's input.
//
// acc[k] = bias + the sums of vector k of a pass, which reads at start[k], for k < V.
SPARSITY_INLINE void sum_rows(
  v8f *acc, const float *x, const int64_t *start, const int32_t *offsets, const float *values, const int64_t *bounds,
  int64_t segments, float bias, const int V) {
  for (int k = 0; k < V; k++) acc[k] = (v8f){0} + bias;
  for (int64_t s = 0; s < segments; s++) {
    for (int64_t e = bounds[2 * s]; e < bounds[2 * s + 1]; e++) {
      const float *source = x + offsets[e];
      const v8f w = (v8f){0} + values[e];
      for (int k = 0; k < V; k++) acc[k] = acc[k] + w * load8(source + start[k]);
    }
  }
}

// One pass: V vectors, vector k reading at start[k] and written at target[k].
SPARSITY_INLINE void rows_pass(
  float *out, const float *x, const int64_t *start, const int64_t *target, const int32_t *offsets,
  const float *values, const int64_t *bounds, int64_t segments, float bias, int32_t relu, const int V) {
  v8f acc[8];
  sum_rows(acc, x, start, offsets, values, bounds, segments, bias, V);
  for (int k = 0; k < V; k++) {
    v8f sum = acc[k];
    if (relu) sum = larger8((v8f){0}, sum);
    memcpy(out + target[k], &sum, sizeof sum);
  }
}

// One pass that max-pools 2x2 with stride 2 as it stores: K pairs of output rows, P vectors a
// row (P <= 4), vector (2k + r) P + j being row 2k + r of the pass, column start j; after the
// activation, row 2k's and 2k + 1's vectors j pool to four outputs at pooled[target[k P + j]],
// in `maxPool2d`'s scan order (top left, top right, bottom left, bottom right).
SPARSITY_INLINE void pooled_pass(
  float *pooled, const float *x, const int64_t *start, const int64_t *target, const int32_t *offsets,
  const float *values, const int64_t *bounds, int64_t segments, float bias, int32_t relu, const int P, const int K) {
  v8f acc[8];
  sum_rows(acc, x, start, offsets, values, bounds, segments, bias, 2 * K * P);
  for (int k = 0; k < K; k++) {
    for (int j = 0; j < P; j++) {
      const v8f top = acc[2 * k * P + j], bottom = acc[(2 * k + 1) * P + j];
      const v4f best = relu ? pool_rows8_activated(larger8((v8f){0}, top), larger8((v8f){0}, bottom))
                            : pool_rows8(top, bottom);
      memcpy(pooled + target[k * P + j], &best, sizeof best);
    }
  }
}

#define ROWS_PASS(V) rows_pass(out, x, start, target, offsets, values, bounds, segments, bias, relu, V)
#define POOLED_PASS(P, K) pooled_pass(out, x, start, target, offsets, values, bounds, segments, bias, relu, P, K)

// Passes of eight vectors (eight chains of sums keep two multiply-adds a cycle busy), then one
// of the rest.
SPARSITY_INLINE void rows_unpooled(
  float *out, int64_t rows, int64_t columns, int64_t row_stride, float bias, int32_t relu, const float *x,
  const int32_t *offsets, const float *values, const int64_t *bounds, int64_t segments) {
  const int64_t per_row = (columns + 7) / 8;
  int64_t start[8], target[8];
  int n = 0;
  for (int64_t p = 0; p < rows; p++) {
    for (int64_t j = 0; j < per_row; j++) {
      const int64_t q = j == per_row - 1 ? columns - 8 : 8 * j;
      start[n] = p * row_stride + q;
      target[n] = p * columns + q;
      if (++n == 8) {
        ROWS_PASS(8);
        n = 0;
      }
    }
  }
  switch (n) {
  case 0: break;
  case 1: ROWS_PASS(1); break;
  case 2: ROWS_PASS(2); break;
  case 3: ROWS_PASS(3); break;
  case 4: ROWS_PASS(4); break;
  case 5: ROWS_PASS(5); break;
  case 6: ROWS_PASS(6); break;
  default: ROWS_PASS(7); break;
  }
}

// Passes of as many row pairs as eight vectors hold (four pairs of 8 outputs, two of 16, one of
// 24 or 32), then one of the pairs left. The last row of an odd count is never computed (the
// pool drops it).
SPARSITY_INLINE void rows_pooled(
  float *out, int64_t rows, int64_t columns, int64_t row_stride, float bias, int32_t relu, const float *x,
  const int32_t *offsets, const float *values, const int64_t *bounds, int64_t segments) {
  const int64_t per_row = (columns + 7) / 8, pairs = rows / 2;
  const int64_t per_pass = per_row == 1 ? 4 : per_row == 2 ? 2 : 1;
  int64_t start[8], target[4];
  for (int64_t first = 0; first < pairs; first += per_pass) {
    const int64_t count = pairs - first < per_pass ? pairs - first : per_pass;
    for (int64_t k = 0; k < count; k++) {
      for (int64_t r = 0; r < 2; r++) {
        for (int64_t j = 0; j < per_row; j++) {
          const int64_t q = j == per_row - 1 ? columns - 8 : 8 * j;
          start[(2 * k + r) * per_row + j] = (2 * (first + k) + r) * row_stride + q;
          if (r == 0) target[k * per_row + j] = (first + k) * (columns / 2) + q / 2;
        }
      }
    }
    switch (per_row * 4 + count) {
    case 1 * 4 + 1: POOLED_PASS(1, 1); break;
    case 1 * 4 + 2: POOLED_PASS(1, 2); break;
    case 1 * 4 + 3: POOLED_PASS(1, 3); break;
    case 1 * 4 + 4: POOLED_PASS(1, 4); break;
    case 2 * 4 + 1: POOLED_PASS(2, 1); break;
    case 2 * 4 + 2: POOLED_PASS(2, 2); break;
    case 3 * 4 + 1: POOLED_PASS(3, 1); break;
    default: POOLED_PASS(4, 1); break;
    }
  }
}

SPARSITY_INLINE void shifted_rows_body(
  int32_t isa, float *out, int64_t rows, int64_t columns, int64_t row_stride, float bias, int32_t relu, int32_t pool,
  const float *x, const int32_t *offsets, const float *values, const int64_t *bounds, int64_t segments) {
  (void)isa;
  if (pool) return rows_pooled(out, rows, columns, row_stride, bias, relu, x, offsets, values, bounds, segments);
  rows_unpooled(out, rows, columns, row_stride, bias, relu, x, offsets, values, bounds, segments);
}

SPARSITY_MULTIVERSION(
  void, shifted_rows,
  (float *out, int64_t rows, int64_t columns, int64_t row_stride, float bias, int32_t relu, int32_t pool,
   const float *x, const int32_t *offsets, const float *values, const int64_t *bounds, int64_t segments),
  out, rows, columns, row_stride, bias, relu, pool, x, offsets, values, bounds, segments)

void sparsity_shifted_rows(
  int32_t isa, float *out, int64_t rows, int64_t columns, int64_t row_stride, float bias, int32_t relu, int32_t pool,
  const float *x, const int32_t *offsets, const float *values, const int64_t *bounds, int64_t segments) {
  SPARSITY_DISPATCH(
    isa, shifted_rows, out, rows, columns, row_stride, bias, relu, pool, x, offsets, values, bounds, segments)
}
