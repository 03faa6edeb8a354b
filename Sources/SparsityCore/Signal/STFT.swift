// The short-time Fourier transform of a signal, its inverse by weighted overlap-add, and the
// "STFT top-k" baseline: the signal rebuilt from its largest complex coefficients only.

import Foundation

/// The short-time Fourier transform with an analysis window w of power-of-two length L and a
/// hop H (1 <= H <= L). Frame f covers the samples s_f ..< s_f + L, s_f = f H - (L - H), so
/// that the first and last samples lie in as many frames as the middle ones (samples outside
/// the signal are zero); a signal of N > 0 samples has F = floor((N + L - H - 1) / H) + 1 frames.
/// Frame f's coefficients are the half spectrum (L/2 + 1 bins) of the windowed frame:
///
///     X[f, q] = sum_{j<L} w[j] x[s_f + j] e^{-2 pi i j q / L},   q = 0 ... L/2.
///
/// The inverse is the least-squares estimate of Griffin and Lim: each frame's inverse
/// transform y_f is windowed again, overlap-added, and divided by the summed squared windows,
///
///     x[n] = sum_f w[n - s_f] y_f[n - s_f] / sum_f w[n - s_f]^2,
///
/// which gives back x exactly (up to rounding) from unmodified coefficients wherever the
/// denominator is nonzero, for any window; with the periodic square-root Hann window at hop L/2
/// (`perfectReconstruction(frameLength:)`) the denominator is exactly 1, so the inverse is a
/// plain weighted overlap-add.
///
/// - Complexity: O(F L log L) each way.
/// Reference: D. W. Griffin and J. S. Lim, "Signal estimation from modified short-time Fourier
/// transform", IEEE Trans. ASSP 32(2), 1984.
public struct STFT: Sendable {
  /// The analysis (and synthesis) window, of the frame length.
  public let window: [Float]
  /// The hop between frame starts.
  public let hop: Int
  let fft: RealFFT

  /// A transform with the given window (power-of-two length L >= 2) and hop (1...L).
  public init(window: [Float], hop: Int) {
    precondition(
      window.count >= 2 && window.count.nonzeroBitCount == 1,
      "STFT: window length \(window.count) is not a power of two >= 2")
    precondition(hop >= 1 && hop <= window.count, "STFT: hop \(hop) not in 1...\(window.count)")
    self.window = window
    self.hop = hop
    fft = RealFFT(count: window.count)
  }

  /// The pair that reconstructs exactly: the periodic square-root Hann window
  /// w[j] = sqrt(0.5 - 0.5 cos(2 pi j / L)) = sin(pi j / L) at hop L/2, for which
  /// w[j]^2 + w[j + L/2]^2 = 1 (the squares are a periodic Hann window, which sums to one at
  /// half overlap).
  public static func perfectReconstruction(frameLength: Int) -> STFT {
    STFT(window: Window.sqrtHann.values(length: frameLength), hop: frameLength / 2)
  }

  /// The frame length L.
  public var frameLength: Int { window.count }
  /// The bins of a frame, L/2 + 1.
  public var binCount: Int { window.count / 2 + 1 }

  /// The number of frames F of a signal of `signalLength` samples (0 for an empty signal).
  public func frameCount(signalLength: Int) -> Int {
    signalLength <= 0 ? 0 : (signalLength + frameLength - hop - 1) / hop + 1
  }

  /// The first sample s_f of frame f (negative for the first frames when H < L).
  public func frameStart(_ frame: Int) -> Int { frame * hop - (frameLength - hop) }

  /// The coefficients X[f, q] of `signal`, split over the cores by frames.
  /// - Complexity: O(F L log L).
  public func transform(_ signal: [Float]) -> ComplexSpectrogram {
    let (frames, bins, l) = (frameCount(signalLength: signal.count), binCount, frameLength)
    var (real, imaginary) = (Tensor(zeros: [frames, bins]), Tensor(zeros: [frames, bins]))
    signal.withUnsafeBufferPointer { x in
      window.withUnsafeBufferPointer { w in
        real.scalars.withUnsafeMutableBufferPointer { re in
          imaginary.scalars.withUnsafeMutableBufferPointer { im in
            let (re, im) = (re.baseAddress, im.baseAddress)
            Parallel.forEachChunk(of: frames) { range in
              var block = [Float](repeating: 0, count: l)
              for f in range {
                let start = frameStart(f)
                for j in 0..<l {
                  let n = start + j
                  block[j] = n >= 0 && n < x.count ? w[j] * x[n] : 0
                }
                block.withUnsafeBufferPointer { fft.forward($0.baseAddress!, re! + f * bins, im! + f * bins) }
              }
            }
          }
        }
      }
    }
    return ComplexSpectrogram(real: real, imaginary: imaginary)
  }

  /// The magnitudes |X[f, q]| of `signal`: frames x (L/2 + 1), for reports.
  /// - Complexity: O(F L log L).
  public func magnitudes(_ signal: [Float]) -> Tensor { transform(signal).magnitudes }

  /// The signal of `length` samples whose coefficients are closest to `spectrogram` in least
  /// squares (Griffin-Lim): exact for unmodified coefficients (see the type's summary); samples
  /// that no window covers are 0.
  /// - Complexity: O(F L log L).
  public func inverse(_ spectrogram: ComplexSpectrogram, length: Int) -> [Float] {
    let (frames, bins, l) = (spectrogram.frames, binCount, frameLength)
    precondition(
      spectrogram.bins == bins && frames == frameCount(signalLength: length),
      "STFT.inverse: \(frames) x \(spectrogram.bins) coefficients, a signal of \(length) samples needs "
        + "\(frameCount(signalLength: length)) x \(bins)")
    var pieces = [Float](repeating: 0, count: frames * l)
    spectrogram.real.scalars.withUnsafeBufferPointer { re in
      spectrogram.imaginary.scalars.withUnsafeBufferPointer { im in
        pieces.withUnsafeMutableBufferPointer { pieces in
          let pieces = pieces.baseAddress
          Parallel.forEachChunk(of: frames) { range in
            var (pr, pi) = ([Float](repeating: 0, count: bins), [Float](repeating: 0, count: bins))
            for f in range {
              for q in 0..<bins { (pr[q], pi[q]) = (re[f * bins + q], im[f * bins + q]) }
              pr.withUnsafeMutableBufferPointer { pr in
                pi.withUnsafeMutableBufferPointer { pi in
                  fft.inverse(pr.baseAddress!, pi.baseAddress!, into: pieces! + f * l)
                }
              }
            }
          }
        }
      }
    }
    return overlapAdd(pieces, frames: frames, length: length)
  }

  /// sum_f w y_f / sum_f w^2 at each sample, from the frames' inverse transforms y_f.
  private func overlapAdd(_ pieces: [Float], frames: Int, length: Int) -> [Float] {
    let l = frameLength
    var (sum, weight) = ([Double](repeating: 0, count: length), [Double](repeating: 0, count: length))
    for f in 0..<frames {
      let start = frameStart(f)
      for j in Swift.max(0, -start)..<Swift.min(l, length - start) {
        let w = Double(window[j])
        sum[start + j] += w * Double(pieces[f * l + j])
        weight[start + j] += w * w
      }
    }
    return (0..<length).map { weight[$0] > 0 ? Float(sum[$0] / weight[$0]) : 0 }
  }

  /// The "STFT top-k" baseline: `signal` rebuilt from only the largest-magnitude complex
  /// coefficients that `selection` keeps (each kept bin counts as one coefficient).
  /// - Complexity: O(F L log L) plus the selection's sort.
  public func reconstruction(of signal: [Float], keeping selection: CoefficientSelection) -> [Float] {
    inverse(transform(signal).keepingLargest(selection), length: signal.count)
  }
}
