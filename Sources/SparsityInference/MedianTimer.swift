// Median wall-clock timing of short calls, for the planner and the model benchmark.

import Dispatch

/// Times a short call: untimed warm-up, then `samples` samples of at least
/// `minimumSampleMilliseconds` each (the call repeated as often as that takes); the result is
/// the median milliseconds per call. (SparsityBench's `Stopwatch` does the same for the kernel
/// benchmark; this module sits beside it in the layers, not above it.)
struct MedianTimer: Sendable {
  /// Timed samples; the median is reported.
  var samples = 7
  /// Minimum length of one sample: keeps timer resolution out of the figure.
  var minimumSampleMilliseconds = 1.0
  /// Warm-up length before the samples.
  var warmUpMilliseconds = 5.0

  /// Median milliseconds per call of `body`; `body` gets the call number (to cycle inputs).
  func milliseconds(_ body: (Int) -> Void) -> Double {
    var call = 0
    let start = Self.now()
    repeat {
      body(call)
      call += 1
    } while Self.now() - start < warmUpMilliseconds || call < 2
    let once = Swift.max(1e-6, (Self.now() - start) / Double(call))
    let callsPerSample = Swift.max(1, Int((minimumSampleMilliseconds / once).rounded(.up)))
    var times: [Double] = []
    for _ in 0..<Swift.max(1, samples) {
      let t0 = Self.now()
      for _ in 0..<callsPerSample {
        body(call)
        call += 1
      }
      times.append((Self.now() - t0) / Double(callsPerSample))
    }
    return Self.median(times)
  }

  /// The median of `values` (mean of the middle two for an even count).
  static func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "MedianTimer.median: no values")
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }

  /// Milliseconds since an arbitrary fixed point.
  static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e6 }
}
