// Which instruction set the kernels' inner loops run with, chosen at run time.
//
// The inner loops live in the C target `CSparsityKernels`, compiled once per instruction set
// with per-function `target` attributes, so a plain `swift build -c release` of Sparsity or of
// a package that depends on it runs AVX2 or AVX-512 code on CPUs that have it, without CPU
// flags. (Swift SIMD code built without `-target-cpu` lowers a fused multiply-add to a call
// to the software `fmaf` per lane, which made the kernels 10-20x slower.)
import CSparsityKernels

/// An instruction set that the zero-skipping kernels have a compiled path for.
public enum KernelInstructionSet: Int32, CaseIterable, Comparable, Sendable, CustomStringConvertible {
  /// Portable code: SSE2 on x86-64, NEON (with FMA) on arm64.
  case baseline = 0
  /// x86-64 with AVX2 and FMA: 256-bit vectors (Intel Haswell on, AMD Zen 1 to 3).
  case avx2 = 1
  /// x86-64 with AVX-512 F, VL, DQ and BW: 512-bit vectors (Intel Skylake-X on, AMD Zen 4 on).
  case avx512 = 2

  /// The best path this CPU and operating system support (cpuid and xgetbv, read once).
  public static let detected = KernelInstructionSet(rawValue: sparsity_detected_isa()) ?? .baseline

  /// Every path this machine can run, lowest first: what tests compare with the reference twins.
  public static var supported: [KernelInstructionSet] { allCases.filter { $0 <= detected } }

  /// The path the kernels run with: the detected one.
  public static var active: KernelInstructionSet { detected }

  public static func < (a: KernelInstructionSet, b: KernelInstructionSet) -> Bool { a.rawValue < b.rawValue }

  /// A short name for reports: `AVX-512`, `AVX2+FMA`, `SSE2` or `NEON`.
  public var description: String {
    switch self {
    case .avx512: "AVX-512"
    case .avx2: "AVX2+FMA"
    case .baseline:
      #if arch(arm64)
        "NEON"
      #else
        "SSE2"
      #endif
    }
  }
}
