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

  /// The machine this process runs on.
  public static var current: MachineDescription {
    MachineDescription(
      processor: processorName(), cores: ProcessInfo.processInfo.activeProcessorCount,
      kernelThreads: Parallel.threadCount, blas: BLAS.configuration)
  }

  /// One line: processor, cores, threads, BLAS.
  public var summary: String {
    "\(processor), \(cores) cores; Sparsity: \(kernelThreads) threads (BLAS called single-threaded on each"
      + " thread's share; dense baselines get BLAS with \(kernelThreads) threads); \(blas)"
  }

  static func processorName() -> String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
      let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
      let colon = line.firstIndex(of: ":")
    else { return "unknown processor" }
    return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
  }
}
