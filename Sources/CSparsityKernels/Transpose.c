// A 16 x 16 tile of floats transposed in registers: the weight-sparse batch kernels work on
// the batch feature-major and turn it around twice per layer.
#include "Multiversion.h"

// Rows 2k and 2k+1, read as 32 lanes, give row k (even lanes) and row k + 8 (odd lanes). Each
// round rotates the 8 bits of a (row, column) address by one; four rounds swap row and column.
SPARSITY_INLINE void deinterleave_round(v16f *t) {
  v16f next[16];
  for (int k = 0; k < 8; k++) {
    next[k] = __builtin_shufflevector(t[2 * k], t[2 * k + 1], 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    next[k + 8] = __builtin_shufflevector(t[2 * k], t[2 * k + 1], 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
  }
  for (int k = 0; k < 16; k++) t[k] = next[k];
}

SPARSITY_INLINE void transpose_tile16_body(int32_t isa, float *out, int64_t ldo, const float *input, int64_t ldi) {
  (void)isa;
  v16f t[16];
  for (int r = 0; r < 16; r++) t[r] = load16(input + r * ldi);
  for (int round = 0; round < 4; round++) deinterleave_round(t);
  for (int r = 0; r < 16; r++) store16(out + r * ldo, t[r]);
}

SPARSITY_MULTIVERSION(
  void, transpose_tile16, (float *out, int64_t ldo, const float *input, int64_t ldi), out, ldo, input, ldi)

void sparsity_transpose_tile16(int32_t isa, float *out, int64_t ldo, const float *input, int64_t ldi) {
  SPARSITY_DISPATCH(isa, transpose_tile16, out, ldo, input, ldi)
}
