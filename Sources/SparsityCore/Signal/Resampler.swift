// Band-limited sample-rate conversion between integer rates (48 kHz or 44.1 kHz audio to the
// 16 kHz a speech model wants, and back): a polyphase windowed-sinc FIR that computes only the
// output samples.
import Foundation

/// Converts a signal from one integer sample rate to another with a band-limited polyphase FIR.
///
/// The ratio is reduced to up/down = L/M = to/gcd : from/gcd. Conceptually the input is
/// upsampled by L (zeros inserted), filtered by a lowpass at the lower of the two Nyquist rates
/// and kept every M-th sample; only the kept samples are computed. In input-sample units,
/// output m sits at time t_m = m M / L and is
///
///     y[m] = sum_n x[n] h(t_m - n),
///
/// with h the `KaiserLowpass` of half-width Q and x zero outside the input (zero padding). Tap
/// offsets t_m - n = (phase + j L) / L take only L fractional parts (phase = m M mod L), so the
/// filter bank holds L phases of 2Q taps each, computed in Double and rounded once to Float,
/// and each output is one dot product of 2Q taps with 2Q contiguous input samples.
///
/// The filter is zero-phase (h is centred on t = 0), so there is no delay to compensate:
/// output m is the signal at time m / to exactly, and an impulse at input time n / from comes
/// out at that same time.
///
/// Design: stopband from the lower Nyquist rate nyq = min(from, to) / 2, passband up to
/// 0.9 nyq, attenuation `designAttenuation` = 85 dB by Kaiser's formulas in input-sample units
/// (f_s = nyq / from, f_p = 0.9 f_s): beta = 0.1102 (A - 8.7) = 8.41 and
/// N = (A - 8) / (2.285 * 2 pi * 0.1 f_s). Kaiser's length is an estimate, so 85 dB is designed
/// to keep the promise of at least `guaranteedAttenuation` = 80 dB in the stopband and a
/// passband ripple under 80 dB (the filter bank's response is checked in the tests). About
/// 107 from / min(from, to) taps per output: 322 for 48 -> 16 kHz, 296 for 44.1 -> 16 kHz,
/// 108 for 8 -> 16 kHz.
///
/// Limits: L <= `maximumUpFactor` (1024) and a filter bank of at most
/// `maximumFilterBankFloats` (2^22 Floats, 16 MiB), checked by `check(from:to:)`; 44.1 -> 16 kHz
/// (L = 160) needs 47,360 Floats (185 KiB).
///
/// Reference: R. E. Crochiere, L. R. Rabiner, "Multirate Digital Signal Processing",
/// Prentice-Hall 1983 (polyphase structure); J. O. Smith, "Digital Audio Resampling Home Page",
/// ccrma.stanford.edu/~jos/resample (bandlimited interpolation by windowed sinc).
public struct Resampler: Sendable {
  /// The input's sample rate in Hz.
  public let sourceRate: Int
  /// The output's sample rate in Hz.
  public let targetRate: Int
  /// L = to / gcd(from, to).
  public let upFactor: Int
  /// M = from / gcd(from, to).
  public let downFactor: Int
  /// The lowpass, nil for the identity (equal rates).
  public let lowpass: KaiserLowpass?

  /// 2Q, the taps of one phase (0 for the identity).
  let tapsPerPhase: Int
  /// The filter bank, L x 2Q row-major: taps[phase][i] = h((phase + (Q - 1 - i) L) / L).
  let taps: [Float]

  /// The stopband attenuation (dB) the filter is designed for.
  public static let designAttenuation = 85.0
  /// The stopband attenuation (dB) promised: the design's margin covers Kaiser's estimate.
  public static let guaranteedAttenuation = 80.0
  /// The passband edge as a fraction of the lower Nyquist rate (the stopband starts at 1).
  public static let passbandFraction = 0.9
  /// The largest reduced up factor L accepted.
  public static let maximumUpFactor = 1024
  /// The largest filter bank (L x 2Q Floats) accepted.
  public static let maximumFilterBankFloats = 1 << 22

  /// A resampler from `from` Hz to `to` Hz; builds the filter bank.
  ///
  /// - Precondition: positive rates within the limits of `check(from:to:)` (rates read from a
  ///   file or a command line go through `check` first).
  /// - Complexity: O(L Q) Bessel and sine evaluations; memory `filterBankMemory(from:to:)`.
  public init(from: Int, to: Int) {
    precondition(from > 0 && to > 0, "Resampler: sample rates must be positive, got \(from) -> \(to)")
    do { try Resampler.check(from: from, to: to) } catch { preconditionFailure("\(error)") }
    let divisor = Resampler.gcd(from, to)
    (sourceRate, targetRate) = (from, to)
    (upFactor, downFactor) = (to / divisor, from / divisor)
    guard from != to else {
      (lowpass, tapsPerPhase, taps) = (nil, 0, [])
      return
    }
    let filter = Resampler.design(from: from, to: to)
    lowpass = filter
    tapsPerPhase = 2 * filter.halfWidth
    taps = Resampler.filterBank(filter, up: upFactor)
  }

  /// Checks that a resampler from `from` Hz to `to` Hz can be built: positive rates, a reduced
  /// up factor of at most `maximumUpFactor` and a filter bank of at most
  /// `maximumFilterBankFloats`.
  /// - Throws: `ResamplerError` naming the rates and the limit.
  public static func check(from: Int, to: Int) throws(ResamplerError) {
    guard from > 0, to > 0 else { throw .nonPositiveRate(from: from, to: to) }
    guard from != to else { return }
    let up = to / gcd(from, to)
    guard up <= maximumUpFactor else { throw .upFactorTooLarge(from: from, to: to, upFactor: up) }
    let floats = filterBankFloats(from: from, to: to)
    guard floats <= Double(maximumFilterBankFloats) else {
      throw .filterBankTooLarge(from: from, to: to, floats: floats)
    }
  }

  /// The memory of the filter bank for `from` -> `to` Hz: L x 2Q Floats (zero for equal rates).
  public static func filterBankMemory(from: Int, to: Int) -> MemoryEstimate {
    precondition(from > 0 && to > 0, "Resampler: sample rates must be positive, got \(from) -> \(to)")
    guard from != to else { return .zero }
    let floats = filterBankFloats(from: from, to: to)
    return floats < Double(Int.max / 4) ? .floats(Int(floats)) : MemoryEstimate(bytes: nil)
  }

  /// L x 2Q, with Q = ceil(N / 2) from Kaiser's order N, as a Double (so that absurd rates
  /// cannot overflow before they are refused).
  private static func filterBankFloats(from: Int, to: Int) -> Double {
    let stopband = stopbandEdge(from: from, to: to)
    let order = KaiserLowpass.order(
      attenuation: designAttenuation, transitionWidth: (1 - passbandFraction) * stopband)
    return Double(to / gcd(from, to)) * 2 * Swift.max(1, (order / 2).rounded(.up))
  }

  /// f_s, the lower Nyquist rate in cycles per input sample: min(from, to) / (2 from).
  private static func stopbandEdge(from: Int, to: Int) -> Double {
    Double(Swift.min(from, to)) / 2 / Double(from)
  }

  /// The lowpass for `from` -> `to` Hz in input-sample units (see the type's summary).
  static func design(from: Int, to: Int) -> KaiserLowpass {
    let stopband = stopbandEdge(from: from, to: to)
    return KaiserLowpass(
      passbandEdge: passbandFraction * stopband, stopbandEdge: stopband, attenuation: designAttenuation)
  }

  /// The L x 2Q taps of `filter`, phase-major: taps[phase * 2Q + i] = h((phase + (Q-1-i) L) / L).
  private static func filterBank(_ filter: KaiserLowpass, up: Int) -> [Float] {
    let q = filter.halfWidth
    var bank = [Float](repeating: 0, count: up * 2 * q)
    for phase in 0..<up {
      for i in 0..<(2 * q) {
        bank[phase * 2 * q + i] = Float(filter.value(at: Double(phase + (q - 1 - i) * up) / Double(up)))
      }
    }
    return bank
  }

  /// The number of output samples for `inputCount` input samples: ceil(inputCount L / M), the
  /// outputs whose time m M / L falls before the end of the input.
  public func outputCount(forInputCount inputCount: Int) -> Int {
    precondition(inputCount >= 0, "Resampler.outputCount: negative input count \(inputCount)")
    return (inputCount * upFactor + downFactor - 1) / downFactor
  }

  static func gcd(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a
  }
}

extension Resampler {
  /// The signal at `targetRate`: y[m] = sum_n x[n] h(m M / L - n) for m in
  /// 0..<ceil(count L / M), x zero outside the input (see the type's summary). Equal rates
  /// return `signal` itself.
  ///
  /// Each output is one dot product of a phase's 2Q taps with the 2Q input samples around it
  /// (`dot`), and blocks of outputs run on `Parallel`'s threads.
  /// - Parameter signal: samples at `sourceRate`.
  /// - Returns: samples at `targetRate`, `outputCount(forInputCount: signal.count)` of them.
  /// - Complexity: O(outputs * 2Q) = O(count * L / M * 107 from / min(from, to)).
  public func resample(_ signal: [Float]) -> [Float] {
    guard let lowpass else { return signal }
    let outputs = outputCount(forInputCount: signal.count)
    var out = [Float](repeating: 0, count: outputs)
    let (up, down, width, half, inputCount) = (upFactor, downFactor, tapsPerPhase, lowpass.halfWidth, signal.count)
    signal.withUnsafeBufferPointer { x in
      taps.withUnsafeBufferPointer { h in
        out.withUnsafeMutableBufferPointer { y in
          guard let x = x.baseAddress, let h = h.baseAddress, let y = y.baseAddress else { return }
          Parallel.forEachChunk(of: outputs, minimumChunk: 1 << 14) { range in
            for m in range {
              // Output m at t = m M / L: taps of phase m M mod L against x[n0 - Q + 1 ..< n0 + Q + 1].
              let position = m * down
              let n0 = position / up
              let start = n0 - half + 1
              let low = Swift.max(0, -start)
              let high = Swift.min(width, inputCount - start)
              let phaseTaps = h + (position - n0 * up) * width
              y[m] = high > low ? Resampler.dot(phaseTaps + low, x + start + low, count: high - low) : 0
            }
          }
        }
      }
    }
    return out
  }

  /// sum_i a[i] b[i] in Float, in 16 running sums (two 8-lane vectors) over i mod 16, then the
  /// remaining < 16 products one by one, then the lanes added together.
  ///
  /// Rounding: each result is a sum of count products in at most ceil(count / 16) + 16
  /// sequential additions, so |error| <= gamma_(count/16 + 17) * sum |a_i b_i| with
  /// gamma_k = k u / (1 - k u), u = 2^-24 (Higham, "Accuracy and Stability of Numerical
  /// Algorithms", 2nd ed., section 4.2).
  @inline(__always)
  static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> Float {
    let (rawA, rawB) = (UnsafeRawPointer(a), UnsafeRawPointer(b))
    var (sum0, sum1) = (SIMD8<Float>(repeating: 0), SIMD8<Float>(repeating: 0))
    var i = 0
    while i + 16 <= count {
      sum0 +=
        rawA.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
        * rawB.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
      sum1 +=
        rawA.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self)
        * rawB.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self)
      i += 16
    }
    var tail: Float = 0
    while i < count {
      tail += a[i] * b[i]
      i += 1
    }
    return (sum0 + sum1).sum() + tail
  }

  /// Reference twin of `resample`: every output y[m] = sum_n x[n] h(t_m - n) evaluated
  /// directly, h(t) from `KaiserLowpass.value(at:)` for every term (no filter bank) and the sum
  /// in Double.
  /// - Complexity: O(outputs * 2Q) kernel evaluations (each a sine and a Bessel series): slow.
  public func resampleReference(_ signal: [Float]) -> [Float] {
    guard let lowpass else { return signal }
    let half = lowpass.halfWidth
    return (0..<outputCount(forInputCount: signal.count)).map { m in
      let position = m * downFactor
      let n0 = position / upFactor
      var sum = 0.0
      for n in Swift.max(0, n0 - half)...Swift.min(signal.count - 1, n0 + half) {
        sum += Double(signal[n]) * lowpass.value(at: Double(position - n * upFactor) / Double(upFactor))
      }
      return Float(sum)
    }
  }
}

/// Sample rates a `Resampler` cannot take.
public enum ResamplerError: Error, Equatable, Sendable, CustomStringConvertible {
  /// A rate is zero or negative.
  case nonPositiveRate(from: Int, to: Int)
  /// The reduced up factor to / gcd(from, to) exceeds `Resampler.maximumUpFactor`.
  case upFactorTooLarge(from: Int, to: Int, upFactor: Int)
  /// The filter bank would exceed `Resampler.maximumFilterBankFloats`.
  case filterBankTooLarge(from: Int, to: Int, floats: Double)

  public var description: String {
    switch self {
    case .nonPositiveRate(let from, let to):
      return "resampling \(from) Hz -> \(to) Hz: sample rates must be positive"
    case .upFactorTooLarge(let from, let to, let up):
      return "resampling \(from) Hz -> \(to) Hz: the reduced ratio's up factor \(up) exceeds "
        + "\(Resampler.maximumUpFactor) (rates with so small a common divisor are not supported)"
    case .filterBankTooLarge(let from, let to, let floats):
      return "resampling \(from) Hz -> \(to) Hz: the filter bank would hold "
        + String(format: "%.3g", floats) + " Floats, more than \(Resampler.maximumFilterBankFloats)"
    }
  }
}
