// The frames of one or more sound files, with what it takes to put coded frames back into sound.

import Foundation
import SparsityCore
import SparsityIO

/// One file's part of a `SoundFrames`: its signal length, the frames kept and their normalization.
public struct FramedSignal: Equatable, Sendable {
  /// The file the signal came from.
  public var file: String
  /// The signal's samples (after channel choice and resampling).
  public var samples: Int
  /// The numbers of the frames kept (not silence), as `Frames.split` numbers them.
  public var frames: [Int]
  /// The rows of `SoundFrames.frames` that hold this signal's kept frames.
  public var rows: Range<Int>
  /// Per kept frame, the mean subtracted (`FrameNormalization.removeMean`), else 0.
  public var means: [Float]
  /// Per kept frame, the factor the frame was divided by (`FrameNormalization.unitNorm`), else 1.
  public var gains: [Float]
}

/// The kept frames of sound files as rows of one matrix (frames x frame length), ready for
/// dictionary learning or coding, and the bookkeeping to overlap-add coded frames back.
public struct SoundFrames: Sendable {
  /// The kept frames, normalized as `framing` says, one per row.
  public var frames: Tensor
  /// The signals, in file order.
  public var signals: [FramedSignal]
  /// The signals themselves (after channel choice and resampling), in file order.
  public var originals: [[Float]]
  /// The sample rate of every signal.
  public var sampleRate: Int
  /// The settings the frames were made with.
  public var framing: SoundFraming

  /// Frames every signal of `sounds` (mono signals at `sampleRate`, named by `files`).
  public init(signals sounds: [[Float]], files: [String], sampleRate: Int, framing: SoundFraming) {
    precondition(sounds.count == files.count, "SoundFrames: \(sounds.count) signals, \(files.count) names")
    let layout = framing.layout
    var rows: [Float] = []
    var signals: [FramedSignal] = []
    for (signal, file) in zip(sounds, files) {
      let all = Frames.split(signal, layout: layout)
      let kept = Self.keptFrames(all, silenceDecibels: framing.silenceDecibels)
      var frames = Frames.split(signal, layout: layout, frames: kept)
      let (means, gains) = Self.normalize(&frames, framing.normalization)
      let first = rows.count / layout.length
      rows += frames.scalars
      signals.append(
        FramedSignal(
          file: file, samples: signal.count, frames: kept, rows: first..<(first + kept.count), means: means,
          gains: gains))
    }
    self.frames = Tensor(shape: [rows.count / layout.length, layout.length], scalars: rows)
    self.signals = signals
    originals = sounds
    self.sampleRate = sampleRate
    self.framing = framing
  }

  /// The frames numbered so in each file whose energy is within `silenceDecibels` of the 95th
  /// percentile of the file's frame energies (every frame with a nonzero energy when nil).
  static func keptFrames(_ frames: Tensor, silenceDecibels: Float?) -> [Int] {
    let n = frames.columns
    let energies = (0..<frames.rows).map { f in
      (0..<n).reduce(Double(0)) { $0 + Double(frames.scalars[f * n + $1]) * Double(frames.scalars[f * n + $1]) }
    }
    guard let decibels = silenceDecibels, !energies.isEmpty else { return energies.indices.filter { energies[$0] > 0 } }
    let sorted = energies.sorted()
    let loud = sorted[Swift.min(sorted.count - 1, Int(0.95 * Double(sorted.count)))]
    let threshold = loud * pow(10, -Double(decibels) / 10)
    return energies.indices.filter { energies[$0] > 0 && energies[$0] >= threshold }
  }

  /// Normalizes each row of `frames` in place; returns the means and gains that undo it.
  static func normalize(_ frames: inout Tensor, _ normalization: FrameNormalization) -> (
    means: [Float], gains: [Float]
  ) {
    let (count, n) = (frames.rows, frames.columns)
    var means = [Float](repeating: 0, count: count)
    var gains = [Float](repeating: 1, count: count)
    for f in 0..<count {
      let row = (f * n)..<((f + 1) * n)
      switch normalization {
      case .none: continue
      case .removeMean:
        let mean = Float(frames.scalars[row].reduce(Double(0)) { $0 + Double($1) } / Double(n))
        means[f] = mean
        for i in row { frames.scalars[i] -= mean }
      case .unitNorm:
        let norm = Float(frames.scalars[row].reduce(Double(0)) { $0 + Double($1) * Double($1) }.squareRoot())
        guard norm > 0 else { continue }
        gains[f] = norm
        for i in row { frames.scalars[i] /= norm }
      }
    }
    return (means, gains)
  }

  /// `coded` (rows as `frames`) with the normalization undone: the frames on the signals' scale.
  public func denormalized(_ coded: Tensor) -> Tensor {
    precondition(coded.shape == frames.shape, "SoundFrames.denormalized: \(coded.shape) vs \(frames.shape)")
    var out = coded
    let n = frames.columns
    for signal in signals {
      for (k, row) in signal.rows.enumerated() {
        for i in (row * n)..<((row + 1) * n) { out.scalars[i] = out.scalars[i] * signal.gains[k] + signal.means[k] }
      }
    }
    return out
  }

  /// `frames` on the signals' scale (rows as `frames`) with the normalization applied, the
  /// inverse of `denormalized(_:)`, so that `signals(from:)` reads them.
  public func normalized(_ frames: Tensor) -> Tensor {
    precondition(frames.shape == self.frames.shape, "SoundFrames.normalized: \(frames.shape) vs \(self.frames.shape)")
    var out = frames
    let n = frames.columns
    for signal in signals {
      for (k, row) in signal.rows.enumerated() {
        for i in (row * n)..<((row + 1) * n) { out.scalars[i] = (out.scalars[i] - signal.means[k]) / signal.gains[k] }
      }
    }
    return out
  }

  /// The signals that `coded` (normalized frames, rows as `frames`) stands for: each file's kept
  /// frames denormalized and overlap-added, skipped frames as silence.
  public func signals(from coded: Tensor) -> [[Float]] {
    let frames = denormalized(coded)
    let n = frames.columns
    return signals.map { signal in
      let rows = Tensor(
        shape: [signal.rows.count, n],
        scalars: Array(frames.scalars[(signal.rows.lowerBound * n)..<(signal.rows.upperBound * n)]))
      return Frames.overlapAdd(rows, layout: framing.layout, frames: signal.frames, samples: signal.samples)
    }
  }
}

extension SoundFrames {
  /// The frames of the sound files `files` (`SoundFiles.load`), refusing sound with no frame
  /// above the silence threshold.
  /// - Throws: as `SoundFiles.load`; `ExperimentError.unusableData` naming the files when no frame
  ///   is kept or the frames cannot fit in memory.
  public static func load(_ files: [String], framing: SoundFraming) throws -> SoundFrames {
    let (signals, rate) = try SoundFiles.load(files, framing: framing)
    let layout = framing.layout
    var total = 0
    for signal in signals {
      guard let count = layout.frameCount(samples: signal.count),
        case (let sum, false) = total.addingReportingOverflow(count)
      else { throw ExperimentError.unusableData("wav: the frames of '\(files[0])' and the others overflow a count") }
      total = sum
    }
    try MemoryBudget.check(
      .floats(total, framing.frameLength) * 3, for: "the \(total) frames of wav:\(files.joined(separator: ","))")
    let sound = SoundFrames(signals: signals, files: files, sampleRate: rate, framing: framing)
    guard sound.frames.rows > 0 else {
      throw ExperimentError.unusableData(
        "wav:\(files.joined(separator: ",")): no frame is louder than the silence threshold (all silent or empty)")
    }
    return sound
  }
}
