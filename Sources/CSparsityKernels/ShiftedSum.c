// Sums of shifted copies of one padded image: the inner loop of the direct sparse convolution
// with stride 1. Every nonzero filter tap (c, i, j) reads the input at one constant offset
// c*Hp*Wp + i*d*Wp + j*d from the output position, so an output plane laid out with the padded
// input's row length Wp is a plain weighted sum of shifted runs of the image.
#include "Multiversion.h"

// out[0..<16V] = bias + sum_e values[e] * x[offsets[e] ..< +16V], V vectors in registers;
// clamped at 0 when `relu`.
SPARSITY_INLINE void shifted_pass(
  float *out, const float *x, const int32_t *offsets, const float *values, int64_t count, float bias, int32_t relu,
  const int V) {
  v16f acc[8];
  for (int k = 0; k < V; k++) acc[k] = splat16(bias);
  for (int64_t e = 0; e < count; e++) {
    const float *source = x + offsets[e];
    const v16f w = splat16(values[e]);
    for (int k = 0; k < V; k++) acc[k] = acc[k] + w * load16(source + 16 * k);
  }
  for (int k = 0; k < V; k++) {
    if (relu) acc[k] = __builtin_elementwise_max(acc[k], (v16f){0});
    store16(out + 16 * k, acc[k]);
  }
}

// Eight vectors of sums a pass on AVX-512 (32 registers), four on AVX2 (each vector two
// registers), two on the baseline (four SSE registers each); what is left goes four, two and
// one at a time.
SPARSITY_INLINE void shifted_sum_body(
  int32_t isa, float *out, int64_t n, float bias, int32_t relu, const float *x, const int32_t *offsets,
  const float *values, int64_t count) {
  int64_t j = 0;
  if (isa == SPARSITY_ISA_AVX512) {
    for (; j + 128 <= n; j += 128) shifted_pass(out + j, x + j, offsets, values, count, bias, relu, 8);
  }
  if (isa != SPARSITY_ISA_BASELINE) {
    for (; j + 64 <= n; j += 64) shifted_pass(out + j, x + j, offsets, values, count, bias, relu, 4);
  }
  for (; j + 32 <= n; j += 32) shifted_pass(out + j, x + j, offsets, values, count, bias, relu, 2);
  for (; j < n; j += 16) shifted_pass(out + j, x + j, offsets, values, count, bias, relu, 1);
}

SPARSITY_MULTIVERSION(
  void, shifted_sum,
  (float *out, int64_t n, float bias, int32_t relu, const float *x, const int32_t *offsets, const float *values,
   int64_t count),
  out, n, bias, relu, x, offsets, values, count)

void sparsity_shifted_sum(
  int32_t isa, float *out, int64_t n, float bias, int32_t relu, const float *x, const int32_t *offsets,
  const float *values, int64_t count) {
  SPARSITY_DISPATCH(isa, shifted_sum, out, n, bias, relu, x, offsets, values, count)
}
