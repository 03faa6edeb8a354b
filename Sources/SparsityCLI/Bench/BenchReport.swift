// Text tables for `sparsity bench kernels`.

import Foundation
import SparsityBench

enum BenchReport {
  /// One row per case: kernel, shape, batch, sparsity, median times, speedup, error, bytes.
  static func table(_ results: [KernelBenchmarkResult]) -> String {
    var rows = [
      [
        "kernel", "weights", "batch", "sparsity", "dense ms", "sparse ms", "speedup", "rel. error",
        "weight MB dense/sparse",
      ]
    ]
    for r in results {
      let c = r.benchCase
      rows.append([
        c.kernel.rawValue, "\(c.rows)x\(c.columns)", "\(c.batch)", percent(c.sparsity),
        String(format: "%.3f", r.denseMilliseconds), String(format: "%.3f", r.sparseMilliseconds),
        String(format: "%.2fx", r.speedup), String(format: "%.1e", r.relativeError),
        String(format: "%.1f / %.1f", Double(r.denseWeightBytes) / 1e6, Double(r.sparseWeightBytes) / 1e6),
      ])
    }
    return aligned(rows)
  }

  /// The break-even sparsity of every (kernel, shape, batch).
  static func breakEvenText(_ points: [BreakEven]) -> String {
    var lines = ["", "Break-even sparsity (from it on, every measured sparsity beats dense BLAS):"]
    for point in points {
      let place = "\(point.kernel.rawValue) \(point.rows)x\(point.columns) batch \(point.batch)"
      let value: String
      switch point.sparsity {
      case .none: value = "slower than dense at every measured sparsity"
      case .some(0): value = "faster than dense at every measured sparsity"
      case .some(let s): value = String(format: "%.0f%%", s * 100)
      }
      lines.append("  \(place): \(value)")
    }
    return lines.joined(separator: "\n")
  }

  /// Left-aligned columns separated by two spaces.
  static func aligned(_ rows: [[String]]) -> String {
    let widths = (0..<rows[0].count).map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.map { row in
      row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }.joined(separator: "  ")
        .trimmingCharacters(in: .whitespaces)
    }.joined(separator: "\n")
  }
}
