import Dispatch
import Foundation

/// Median wall-clock timing of short calls.
public enum Stopwatch {
  /// Median milliseconds per call of `body`, from `samples` samples of at least ~`minimumSampleMilliseconds`.
  ///
  /// Untimed warm-up calls (about 20 ms worth, at least two) come first; each sample repeats the call enough times to last
  /// the minimum, which keeps timer resolution out of the figure.
  public static func medianMilliseconds(samples: Int = 7, minimumSampleMilliseconds: Double = 5, _ body: () -> Void)
    -> Double
  {
    body()
    let start = now()
    body()
    let once = Swift.max(1e-6, now() - start)
    for _ in 0..<Swift.min(1000, Int(20 / once)) { body() }
    let callsPerSample = Swift.max(1, Int(minimumSampleMilliseconds / once))
    var times: [Double] = []
    for _ in 0..<Swift.max(1, samples) {
      let t0 = now()
      for _ in 0..<callsPerSample { body() }
      times.append((now() - t0) / Double(callsPerSample))
    }
    return median(times)
  }

  /// The median of `values` (mean of the middle two for an even count).
  public static func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "Stopwatch.median: no values")
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }

  /// Sleeps the calling thread for `seconds`.
  public static func pause(seconds: Double) {
    guard seconds > 0 else { return }
    Thread.sleep(forTimeInterval: seconds)
  }

  /// Milliseconds since an arbitrary fixed point.
  public static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e6 }
}
