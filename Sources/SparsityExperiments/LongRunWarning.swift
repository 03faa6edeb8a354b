// A warning before work that would run for days: options such as --epochs 10^12 stay allowed,
// but the user learns what they asked for before the machine is gone.

import Foundation
import SparsityNN

/// Estimates how long work takes from the multiply-adds it needs, and words a warning when it
/// is more than a day.
public enum LongRunWarning {
  /// The rate the estimate assumes: 10^11 multiply-adds per second, more than the 2-core
  /// machines this tool is measured on reach, so the estimate errs towards too short.
  public static let assumedRate = 1e11
  /// Work estimated to take longer than this many seconds is warned about: one day.
  public static let threshold = 86_400.0

  /// The warning for `work` (what the user asked for, e.g. `train --epochs 1000000000000`)
  /// needing `multiplyAdds` multiply-adds, `upTo` when that is the most it may need (a solver
  /// that stops early); `progress` when the command shows a progress line. Nil when it takes
  /// less than `threshold` at `assumedRate`.
  public static func message(_ work: String, multiplyAdds: Double, upTo: Bool = false, progress: Bool = true)
    -> String?
  {
    let seconds = multiplyAdds / assumedRate
    guard seconds > threshold else { return nil }
    let days = seconds / 86_400
    let years = days / 365.25
    let duration =
      days < 1000
      ? String(format: "%.0f days", days.rounded(.up))
      : years < 1e6 ? String(format: "%.0f years", years.rounded(.up)) : String(format: "%.1e years", years)
    return "warning: \(work) needs \(upTo ? "up to " : "")\(String(format: "%.1e", multiplyAdds)) multiply-adds:"
      + " \(upTo ? "up to " : "")\(duration) even at \(String(format: "%.0e", assumedRate)) per second;"
      + (progress ? " a progress line shows how it goes and" : "") + " Ctrl-C stops it"
  }

  /// The multiply-adds of training a network of Linear layers between `widths` for `epochs`
  /// epochs on `samples` samples: forward, and backward to the inputs and the weights, 3 per weight.
  public static func trainingMultiplyAdds(widths: [Int], samples: Int, epochs: Int) -> Double {
    let weights = zip(widths, widths.dropFirst()).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    return 3 * weights * Double(samples) * Double(epochs)
  }

  /// The multiply-adds of training `architecture` for `epochs` epochs on `samples` samples:
  /// three times its forward multiply-adds per sample (forward, input and weight gradients).
  public static func trainingMultiplyAdds(_ architecture: ModelArchitecture, samples: Int, epochs: Int) -> Double {
    3 * architecture.multiplyAddsPerSample * Double(samples) * Double(epochs)
  }
}
