// Which instruction set the kernels' inner loops run with, chosen at run time.
//
// The inner loops live in the C target `CSparsityKernels`, compiled once per instruction set
// with per-function `target` attributes, so a plain `swift build -c release` of Sparsity or of
// a package that depends on it runs AVX2 or AVX-512 code on CPUs that have it, without CPU
// flags. (Swift SIMD code built without `-target-cpu` lowers a fused multiply-add to a call
// to the software `fmaf` per lane, which made the kernels 10-20x slower.)
import CSparsityKernels
import Foundation

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

  /// The path the kernels run with: the detected one, or a lower one named by the
  /// `SPARSITY_ISA` environment variable (`baseline`, `avx2`, `avx512`), to compare paths on one
  /// machine. A value that is unknown or above `detected` is ignored here and reported by
  /// `environmentProblem`, which the command-line tool turns into an error.
  public static let active: KernelInstructionSet = {
    guard let text = ProcessInfo.processInfo.environment["SPARSITY_ISA"], let path = named(text), path <= detected
    else {
      return detected
    }
    return path
  }()

  /// Whether the AVX-512 path may also multiply in bfloat16 (AVX512-BF16: AMD Zen 4, Intel
  /// Cooper Lake and Sapphire Rapids on), which `TopKProduct` uses to rank candidates: the CPU
  /// has it, `active` is `avx512`, and the `SPARSITY_BF16` environment variable is not `0`.
  public static let bfloat16Products: Bool =
    active == .avx512 && sparsity_bf16_detected() != 0 && ProcessInfo.processInfo.environment["SPARSITY_BF16"] != "0"

  /// Why `SPARSITY_ISA` cannot be used as given, or nil when it is unset or valid.
  public static var environmentProblem: String? {
    guard let text = ProcessInfo.processInfo.environment["SPARSITY_ISA"] else { return nil }
    guard let path = named(text) else {
      return
        "SPARSITY_ISA='\(text)' is not an instruction-set path; use one of \(allCases.map(\.name).joined(separator: ", "))"
    }
    guard path <= detected else {
      return "SPARSITY_ISA=\(text): this CPU supports the paths \(supported.map(\.name).joined(separator: ", ")) only"
    }
    return nil
  }

  /// The path called `name` (`baseline`, `avx2`, `avx512`), or nil.
  public static func named(_ name: String) -> KernelInstructionSet? { allCases.first { $0.name == name } }

  /// The name `SPARSITY_ISA` takes: `baseline`, `avx2` or `avx512`.
  public var name: String {
    switch self {
    case .baseline: "baseline"
    case .avx2: "avx2"
    case .avx512: "avx512"
    }
  }

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
