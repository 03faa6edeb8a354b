// Dot products of one dense row with chosen rows of a matrix: the sampled product behind a
// sparse autoencoder's backward pass, where only the code's active latents need the gradient
// err . W_dec[j] (SparsityCore's `sampledRowProducts`).
#include "Multiversion.h"

// sum_j a[j] * b[j] over j < n: four 16-lane partial sums, then the tail.
SPARSITY_INLINE float dot_one(const float *a, const float *b, int64_t n) {
  v16f s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};
  int64_t j = 0;
  for (; j + 64 <= n; j += 64) {
    s0 = s0 + load16(a + j) * load16(b + j);
    s1 = s1 + load16(a + j + 16) * load16(b + j + 16);
    s2 = s2 + load16(a + j + 32) * load16(b + j + 32);
    s3 = s3 + load16(a + j + 48) * load16(b + j + 48);
  }
  for (; j + 16 <= n; j += 16) s0 = s0 + load16(a + j) * load16(b + j);
  v16f s = (s0 + s1) + (s2 + s3);
  float total = 0;
  for (int k = 0; k < 16; k++) total += s[k];
  for (; j < n; j++) total = total + a[j] * b[j];
  return total;
}

// out[p] = a[0..<n] . b[rows[p] * ldb ..< +n] for p < count. The chosen rows are scattered over
// b, beyond the hardware prefetchers' guess: each dot first asks for the row two ahead.
SPARSITY_INLINE void row_dots_body(
  int32_t isa, float *out, const float *a, const float *b, int64_t ldb, const int32_t *rows, int64_t count, int64_t n) {
  (void)isa;
  for (int64_t p = 0; p < count; p++) {
    if (p + 2 < count) {
      const float *ahead = b + (int64_t)rows[p + 2] * ldb;
      for (int64_t j = 0; j < n; j += 16) __builtin_prefetch(ahead + j);
    }
    out[p] = dot_one(a, b + (int64_t)rows[p] * ldb, n);
  }
}

SPARSITY_MULTIVERSION(
  void, row_dots, (float *out, const float *a, const float *b, int64_t ldb, const int32_t *rows, int64_t count, int64_t n),
  out, a, b, ldb, rows, count, n)

void sparsity_row_dots(
  int32_t isa, float *out, const float *a, const float *b, int64_t ldb, const int32_t *rows, int64_t count, int64_t n) {
  SPARSITY_DISPATCH(isa, row_dots, out, a, b, ldb, rows, count, n)
}
