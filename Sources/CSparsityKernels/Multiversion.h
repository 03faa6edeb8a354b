// Helpers shared by the kernel files: a 16-float vector type and the macro that compiles one
// kernel body once per instruction set.
//
// A body is a `static inline` function marked always-inline and written with Clang/GCC vector
// extensions. Each variant is a small function with a `target` attribute that calls the body,
// so the body is inlined and code-generated for that variant's instruction set: 512-bit
// registers and FMA for AVX-512, two 256-bit halves and FMA for AVX2, four SSE registers for
// the baseline. `a + b * c` written in one expression is fused into an FMA where the target
// has one (FP_CONTRACT ON) and stays a multiply and an add where it does not, never a call to
// the software `fmaf`. The first argument of a body is the variant (a compile-time constant
// once inlined), so a body can choose its register blocking per instruction set.
#ifndef CSPARSITY_MULTIVERSION_H
#define CSPARSITY_MULTIVERSION_H

#include <stdint.h>
#include <string.h>

#include "CSparsityKernels.h"

#pragma STDC FP_CONTRACT ON
// Vectors pass between always-inline helpers only, never across a real call: no ABI to keep.
#pragma clang diagnostic ignored "-Wpsabi"

typedef float v16f __attribute__((vector_size(64)));
typedef float v8f __attribute__((vector_size(32)));
typedef int32_t v16i __attribute__((vector_size(64)));
typedef _Bool v16b __attribute__((ext_vector_type(16)));

#define SPARSITY_INLINE static inline __attribute__((always_inline))

SPARSITY_INLINE v16f load16(const float *p) {
  v16f v;
  memcpy(&v, p, sizeof v);
  return v;
}

SPARSITY_INLINE void store16(float *p, v16f v) { memcpy(p, &v, sizeof v); }

SPARSITY_INLINE v16f splat16(float x) { return (v16f){0} + x; }

// The lanes of a comparison's result as the bits of an integer (bit i for lane i): one mask
// move on AVX-512, a few packs and a byte mask on AVX2, so loops visit only the lanes that passed.
SPARSITY_INLINE uint32_t lane_mask(v16i comparison) {
  return (uint16_t)__builtin_bit_cast(uint16_t, __builtin_convertvector(comparison, v16b));
}

SPARSITY_INLINE v8f load8(const float *p) {
  v8f v;
  memcpy(&v, p, sizeof v);
  return v;
}

SPARSITY_INLINE float sum8(v8f v) {
  return ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]));
}

// The max pool's rule, lane by lane (`maxPool2d`): `candidate` where it is strictly larger than
// `best` or NaN, else `best`. Shared by the pool and the convolution that pools as it stores.
typedef float v4f __attribute__((vector_size(16)));
typedef int32_t v8i __attribute__((vector_size(32)));
typedef int32_t v4i __attribute__((vector_size(16)));

// NAME(best, candidate): `candidate` in the lanes where TAKE (a comparison of the two) holds,
// else `best`.
#define SPARSITY_SELECT(NAME, VF, VI, TAKE)         \
  SPARSITY_INLINE VF NAME(VF best, VF candidate) { \
    const VI take = TAKE;                          \
    VI b, c;                                       \
    memcpy(&b, &best, sizeof b);                   \
    memcpy(&c, &candidate, sizeof c);              \
    const VI r = (c & take) | (b & ~take);         \
    VF out;                                        \
    memcpy(&out, &r, sizeof out);                  \
    return out;                                    \
  }
#define SPARSITY_LARGER_OR_NAN(NAME, VF, VI) \
  SPARSITY_SELECT(NAME, VF, VI, (candidate > best) | (candidate != candidate))
SPARSITY_LARGER_OR_NAN(larger_or_nan8, v8f, v8i)
SPARSITY_LARGER_OR_NAN(larger_or_nan4, v4f, v4i)

// One 2x2, stride 2 pool step over two rows of 8 (16) columns: 4 (8) outputs, each the pool of
// columns 2j, 2j + 1 of `top` and `bottom` in `maxPool2d`'s scan order (top left, top right,
// bottom left, bottom right).
SPARSITY_INLINE v4f pool_rows8(v8f top, v8f bottom) {
  const v4f te = __builtin_shufflevector(top, top, 0, 2, 4, 6), to = __builtin_shufflevector(top, top, 1, 3, 5, 7);
  const v4f be = __builtin_shufflevector(bottom, bottom, 0, 2, 4, 6);
  const v4f bo = __builtin_shufflevector(bottom, bottom, 1, 3, 5, 7);
  return larger_or_nan4(larger_or_nan4(larger_or_nan4(te, to), be), bo);
}

SPARSITY_INLINE v8f pool_rows16(v16f top, v16f bottom) {
  const v8f te = __builtin_shufflevector(top, top, 0, 2, 4, 6, 8, 10, 12, 14);
  const v8f to = __builtin_shufflevector(top, top, 1, 3, 5, 7, 9, 11, 13, 15);
  const v8f be = __builtin_shufflevector(bottom, bottom, 0, 2, 4, 6, 8, 10, 12, 14);
  const v8f bo = __builtin_shufflevector(bottom, bottom, 1, 3, 5, 7, 9, 11, 13, 15);
  return larger_or_nan8(larger_or_nan8(larger_or_nan8(te, to), be), bo);
}

// `candidate` where it is strictly larger than `best`, else `best`: one maxps. larger(0, x) is
// the convolution's fused ReLU, which so maps NaN and -0 to +0.
#define SPARSITY_LARGER(NAME, VF, VI) SPARSITY_SELECT(NAME, VF, VI, candidate > best)
SPARSITY_LARGER(larger16, v16f, v16i)
SPARSITY_LARGER(larger8, v8f, v8i)
SPARSITY_LARGER(larger4, v4f, v4i)

// The pool steps for values without NaN or -0, as that ReLU leaves them: equal values are then
// equal bits and the scan order no longer matters, so the rows are compared first, lane by lane,
// and the column pairs after, one maxps each (against three compares and selects of the rule).
SPARSITY_INLINE v4f pool_rows8_activated(v8f top, v8f bottom) {
  const v8f rows = larger8(top, bottom);
  return larger4(__builtin_shufflevector(rows, rows, 0, 2, 4, 6), __builtin_shufflevector(rows, rows, 1, 3, 5, 7));
}

SPARSITY_INLINE v8f pool_rows16_activated(v16f top, v16f bottom) {
  const v16f rows = larger16(top, bottom);
  return larger8(
    __builtin_shufflevector(rows, rows, 0, 2, 4, 6, 8, 10, 12, 14),
    __builtin_shufflevector(rows, rows, 1, 3, 5, 7, 9, 11, 13, 15));
}

#if defined(__x86_64__)
#define SPARSITY_X86_64 1
#define SPARSITY_TARGET_AVX2 __attribute__((target("avx,avx2,fma")))
#define SPARSITY_TARGET_AVX512 __attribute__((target("avx,avx2,fma,avx512f,avx512vl,avx512dq,avx512bw")))

/// Defines `static R NAME_baseline PARAMS`, `NAME_avx2` and `NAME_avx512`, each returning
/// `NAME_body(SPARSITY_ISA_..., ARGS...)`, and `R sparsity_NAME(int32_t isa, PARAMS...)`
/// switching on `isa`. PARAMS is parenthesized; ARGS are the parameter names.
#define SPARSITY_MULTIVERSION(R, NAME, PARAMS, ...)                                     \
  static R NAME##_baseline PARAMS { return NAME##_body(SPARSITY_ISA_BASELINE, __VA_ARGS__); } \
  SPARSITY_TARGET_AVX2 static R NAME##_avx2 PARAMS { return NAME##_body(SPARSITY_ISA_AVX2, __VA_ARGS__); } \
  SPARSITY_TARGET_AVX512 static R NAME##_avx512 PARAMS {                                  \
    return NAME##_body(SPARSITY_ISA_AVX512, __VA_ARGS__);                                 \
  }
#define SPARSITY_DISPATCH(isa, NAME, ...)                        \
  switch (isa) {                                                 \
  case SPARSITY_ISA_AVX512: return NAME##_avx512(__VA_ARGS__);   \
  case SPARSITY_ISA_AVX2: return NAME##_avx2(__VA_ARGS__);       \
  default: return NAME##_baseline(__VA_ARGS__);                  \
  }
#else
#define SPARSITY_MULTIVERSION(R, NAME, PARAMS, ...) \
  static R NAME##_baseline PARAMS { return NAME##_body(SPARSITY_ISA_BASELINE, __VA_ARGS__); }
#define SPARSITY_DISPATCH(isa, NAME, ...) \
  (void)(isa);                             \
  return NAME##_baseline(__VA_ARGS__);
#endif

#endif
