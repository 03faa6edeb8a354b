// The step of a shift-invariant matching pursuit: subtract a scaled row from the correlations a
// spike changes, and return the largest magnitude left there, in one pass (the next argmax needs
// it); and the largest magnitude of a row alone.
//
// Magnitudes are compared as the bit patterns of |v| (sign bit cleared) read as signed integers,
// which order non-negative floats as their values do: an integer maximum, with no NaN rule to
// follow, is one instruction per vector on every target (two on the SSE2 baseline).
#include "Multiversion.h"


SPARSITY_INLINE v16i magnitude_bits16(v16f v) {
  v16i bits;
  memcpy(&bits, &v, sizeof bits);
  return bits & 0x7fffffff;
}

SPARSITY_INLINE int32_t magnitude_bits(float v) {
  int32_t bits;
  memcpy(&bits, &v, sizeof bits);
  return bits & 0x7fffffff;
}

SPARSITY_INLINE int32_t max16i(v16i v) {
  int32_t m = 0;
  for (int i = 0; i < 16; i++) m = v[i] > m ? v[i] : m;
  return m;
}

SPARSITY_INLINE float float_of_bits(int32_t bits) {
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

// x[0..<n] -= a * w[0..<n]; returns max |x[j]| of the new values (0 when n is 0).
SPARSITY_INLINE float subtract_scaled_max_body(int32_t isa, float *x, float a, const float *w, int64_t n) {
  (void)isa;
  const v16f scale = splat16(a);
  v16i best = (v16i){0};
  int64_t j = 0;
  for (; j + 16 <= n; j += 16) {
    const v16f v = load16(x + j) - scale * load16(w + j);
    store16(x + j, v);
    best = __builtin_elementwise_max(best, magnitude_bits16(v));
  }
  int32_t m = max16i(best);
  for (; j < n; j++) {
    const float v = x[j] - a * w[j];
    x[j] = v;
    const int32_t bits = magnitude_bits(v);
    m = bits > m ? bits : m;
  }
  return float_of_bits(m);
}

SPARSITY_MULTIVERSION(float, subtract_scaled_max, (float *x, float a, const float *w, int64_t n), x, a, w, n)

float sparsity_subtract_scaled_max(int32_t isa, float *x, float a, const float *w, int64_t n) {
  SPARSITY_DISPATCH(isa, subtract_scaled_max, x, a, w, n)
}

// max |x[j]| over j < n (0 when n is 0).
SPARSITY_INLINE float max_magnitude_body(int32_t isa, const float *x, int64_t n) {
  (void)isa;
  v16i best = (v16i){0};
  int64_t j = 0;
  for (; j + 16 <= n; j += 16) best = __builtin_elementwise_max(best, magnitude_bits16(load16(x + j)));
  int32_t m = max16i(best);
  for (; j < n; j++) {
    const int32_t bits = magnitude_bits(x[j]);
    m = bits > m ? bits : m;
  }
  return float_of_bits(m);
}

SPARSITY_MULTIVERSION(float, max_magnitude, (const float *x, int64_t n), x, n)

float sparsity_max_magnitude(int32_t isa, const float *x, int64_t n) { SPARSITY_DISPATCH(isa, max_magnitude, x, n) }
