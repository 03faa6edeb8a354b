// One Adam update of a run of weights and their two moments (PyTorch's formulas; see
// `AdamStep` in SparsityCore). The update is a few multiplies, a square root and two divides
// per weight: Swift's own vectors compile for the baseline only, so its 16-lane loop ran on
// four SSE registers; here each instruction set gets its own code.
#include <math.h>

#include "Multiversion.h"

// √x lane by lane, correctly rounded (the hardware square root) as `squareRoot()` is.
SPARSITY_INLINE v16f sqrt16(v16f x) {
#if __has_builtin(__builtin_elementwise_sqrt)
  return __builtin_elementwise_sqrt(x);
#else
  for (int k = 0; k < 16; k++) x[k] = sqrtf(x[k]);
  return x;
#endif
}

// w, m, v and g are (n). The expressions and their order are those of the scalar reference,
// none contracted into an FMA, so the results are the same bits as `applyReference`.
SPARSITY_INLINE void adam_body(
  int32_t isa, float *w, float *m, float *v, const float *g, int64_t n, float beta1, float beta2, float epsilon,
  float l2, float step_size, float root) {
#pragma clang fp contract(off)
  (void)isa;
  const float c1 = 1 - beta1, c2 = 1 - beta2;
  int64_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const v16f weight = load16(w + i);
    const v16f gradient = load16(g + i) + l2 * weight;
    const v16f old_mean = load16(m + i);
    const v16f mean = old_mean + c1 * (gradient - old_mean);
    const v16f square = beta2 * load16(v + i) + c2 * gradient * gradient;
    store16(m + i, mean);
    store16(v + i, square);
    const v16f denominator = sqrt16(square) / root + epsilon;
    store16(w + i, weight - step_size * (mean / denominator));
  }
  for (; i < n; i++) {
    const float gradient = g[i] + l2 * w[i];
    const float mean = m[i] + c1 * (gradient - m[i]);
    const float square = beta2 * v[i] + c2 * gradient * gradient;
    m[i] = mean;
    v[i] = square;
    const float denominator = sqrtf(square) / root + epsilon;
    w[i] = w[i] - step_size * (mean / denominator);
  }
}

SPARSITY_MULTIVERSION(
  void, adam,
  (float *w, float *m, float *v, const float *g, int64_t n, float beta1, float beta2, float epsilon, float l2,
   float step_size, float root),
  w, m, v, g, n, beta1, beta2, epsilon, l2, step_size, root)

void sparsity_adam(
  int32_t isa, float *w, float *m, float *v, const float *g, int64_t n, float beta1, float beta2, float epsilon,
  float l2, float step_size, float root) {
  SPARSITY_DISPATCH(isa, adam, w, m, v, g, n, beta1, beta2, epsilon, l2, step_size, root)
}
