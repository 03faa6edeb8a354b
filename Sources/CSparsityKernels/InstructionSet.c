// Which instruction set the kernels may use: cpuid for the CPU's features and xgetbv for the
// register state the operating system saves (a CPU with AVX-512 under an OS that does not
// save ZMM registers must not run AVX-512 code).
#include "CSparsityKernels.h"

#if defined(__x86_64__)
#include <cpuid.h>

static uint64_t extended_control_register0(void) {
  uint32_t low, high;
  __asm__ volatile("xgetbv" : "=a"(low), "=d"(high) : "c"(0));
  return ((uint64_t)high << 32) | low;
}

static int32_t detect(void) {
  unsigned int a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return SPARSITY_ISA_BASELINE;
  const int fma = (c >> 12) & 1, osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
  if (!(osxsave && avx && fma)) return SPARSITY_ISA_BASELINE;
  const uint64_t xcr0 = extended_control_register0();
  if ((xcr0 & 0x6) != 0x6) return SPARSITY_ISA_BASELINE;  // XMM and YMM state
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return SPARSITY_ISA_BASELINE;
  const int avx2 = (b >> 5) & 1;
  const int avx512 = ((b >> 16) & 1) && ((b >> 17) & 1) && ((b >> 30) & 1) && ((b >> 31) & 1);  // F, DQ, BW, VL
  if (avx2 && avx512 && (xcr0 & 0xE6) == 0xE6) return SPARSITY_ISA_AVX512;  // plus opmask, ZMM state
  return avx2 ? SPARSITY_ISA_AVX2 : SPARSITY_ISA_BASELINE;
}
#else
static int32_t detect(void) { return SPARSITY_ISA_BASELINE; }
#endif

int32_t sparsity_detected_isa(void) {
  static int32_t cached = -1;
  int32_t value = __atomic_load_n(&cached, __ATOMIC_RELAXED);
  if (value < 0) {
    value = detect();
    __atomic_store_n(&cached, value, __ATOMIC_RELAXED);
  }
  return value;
}
