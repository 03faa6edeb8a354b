import Foundation
import SparsityCore

/// The machine a benchmark ran on, printed with every set of figures.
public struct MachineDescription: Sendable {
  /// The processor's model name (from /proc/cpuinfo on Linux).
  public var processor: String
  /// Active processor cores.
  public var cores: Int
  /// Threads the zero-skipping kernels use.
  public var kernelThreads: Int
  /// The BLAS library and its settings.
  public var blas: String
  /// The kernel family BLAS runs (`BLAS.coreName`).
  public var blasCore: String
  /// The instruction-set path of Sparsity's own kernels (chosen at run time from the CPU).
  public var kernelPath: KernelInstructionSet = .active
  /// The processor's vector extensions that matter for BLAS: "avx2", "avx512f" (from the
  /// /proc/cpuinfo flags on Linux; empty elsewhere).
  public var vectorExtensions: Set<String>

  /// The machine this process runs on.
  public static var current: MachineDescription {
    MachineDescription(
      processor: cpuInfoField("model name") ?? "unknown processor", cores: ProcessInfo.processInfo.activeProcessorCount,
      kernelThreads: Parallel.threadCount, blas: BLAS.configuration, blasCore: BLAS.coreName,
      vectorExtensions: Set((cpuInfoField("flags") ?? "").split(separator: " ").map(String.init)).intersection([
        "avx2", "avx512f",
      ]))
  }

  /// One line: processor, cores, the kernels' instruction set, threads, BLAS.
  public var summary: String {
    "\(processor), \(cores) cores; Sparsity: \(kernelPath) kernels, \(kernelThreads) threads (BLAS called single-threaded on each"
      + " thread's share; dense baselines get BLAS with \(kernelThreads) threads); \(blas)"
  }

  /// OpenBLAS kernel families with AVX2 (or wider) kernels. Any other family on a CPU with
  /// AVX2 is a generic fallback (OpenBLAS 0.3.21 runs `Prescott`, SSE3, on CPUs newer than it).
  static let wideVectorCores: Set<String> = [
    "Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids", "Excavator", "Accelerate",
  ]

  /// A warning when BLAS runs a generic fallback kernel family on a CPU with AVX2 or AVX-512,
  /// which makes the dense baseline slower than it should be; nil when the baseline is fair.
  public var unfairBaselineWarning: String? {
    guard vectorExtensions.contains("avx2"), !Self.wideVectorCores.contains(blasCore) else { return nil }
    let suggested = vectorExtensions.contains("avx512f") ? "SkylakeX" : "Haswell"
    let isa = vectorExtensions.contains("avx512f") ? "AVX-512" : "AVX2"
    return "WARNING: OpenBLAS runs its generic '\(blasCore)' kernels on this \(isa) CPU (it does not recognise it),"
      + " so the dense baseline is slower than a tuned BLAS and speedups are overstated. For a fair baseline,"
      + " run with OPENBLAS_CORETYPE=\(suggested) in the environment."
  }

  /// The value of the first /proc/cpuinfo line starting with `field` (Linux), or nil.
  static func cpuInfoField(_ field: String) -> String? {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
      let colon = line.firstIndex(of: ":")
    else { return nil }
    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
  }
}
