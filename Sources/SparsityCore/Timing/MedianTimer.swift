// Median wall-clock timing of short calls: the one timer of the planner and every benchmark.

import Dispatch
import Foundation

/// Times a short call: untimed warm-up, then `samples` samples of at least
/// `minimumSampleMilliseconds` each (the call repeated as often as that takes); the result is
/// the median milliseconds per call.
public struct MedianTimer: Sendable {
  /// Timed samples; the median is reported.
  public var samples = 7
  /// Minimum length of one sample: keeps timer resolution out of the figure.
  public var minimumSampleMilliseconds = 1.0
  /// Warm-up length before the samples.
  public var warmUpMilliseconds = 5.0

  /// A timer with the given settings.
  public init(samples: Int = 7, minimumSampleMilliseconds: Double = 1, warmUpMilliseconds: Double = 5) {
    self.samples = samples
    self.minimumSampleMilliseconds = minimumSampleMilliseconds
    self.warmUpMilliseconds = warmUpMilliseconds
  }

  /// Median milliseconds per call of `body`; `body` gets the call number (to cycle inputs).
  public func milliseconds(_ body: (Int) -> Void) -> Double {
    withoutActuallyEscaping(body) { interleavedMilliseconds([$0])[0] }
  }

  /// Median milliseconds per call of each of `bodies`, their samples taken in turn (sample 1 of
  /// each body, then sample 2 of each, ...), so that a change of machine load in the middle
  /// falls on all of them alike. Each body is warmed up and gets its own calls per sample.
  public func interleavedMilliseconds(_ bodies: [(Int) -> Void]) -> [Double] {
    var calls = [Int](repeating: 0, count: bodies.count)
    let callsPerSample = bodies.indices.map { index in warmUp(bodies[index], &calls[index]) }
    var times = [[Double]](repeating: [], count: bodies.count)
    for _ in 0..<Swift.max(1, samples) {
      for (index, body) in bodies.enumerated() {
        let t0 = Self.now()
        for _ in 0..<callsPerSample[index] {
          body(calls[index])
          calls[index] += 1
        }
        times[index].append((Self.now() - t0) / Double(callsPerSample[index]))
      }
    }
    return times.map(Self.median)
  }

  /// Runs `body` for the warm-up time; returns the calls that make one sample.
  private func warmUp(_ body: (Int) -> Void, _ call: inout Int) -> Int {
    let (start, first) = (Self.now(), call)
    repeat {
      body(call)
      call += 1
    } while Self.now() - start < warmUpMilliseconds || call - first < 2
    let once = Swift.max(1e-6, (Self.now() - start) / Double(call - first))
    return Swift.max(1, Int((minimumSampleMilliseconds / once).rounded(.up)))
  }

  /// The median of `values` (mean of the middle two for an even count).
  public static func median(_ values: [Double]) -> Double {
    precondition(!values.isEmpty, "MedianTimer.median: no values")
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
  }

  /// Milliseconds since an arbitrary fixed point.
  public static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e6 }

  /// Sleeps the calling thread for `seconds` (OpenBLAS's worker threads spin for about 0.1 s
  /// after a threaded call; benchmarks pause so that they do not take a core from what follows).
  public static func pause(seconds: Double) {
    guard seconds > 0 else { return }
    Thread.sleep(forTimeInterval: seconds)
  }
}
