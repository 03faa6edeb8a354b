// What `sparsity spikegram` reports and writes: spikes, rates, SNR against the STFT, the spike list.

import Foundation
import SparsityCoding
import SparsityCore
import SparsityIO

/// Atoms for shift-invariant coding read from a file.
public enum SpikegramAtoms {
  /// The atoms (K x L) of the `.npy` file at `path`, finite, no row all zeros, each row rescaled
  /// to unit norm.
  /// - Throws: as `DictionarySamples.matrix(file:)`; `ExperimentError.unusableData` naming the file
  ///   for an all-zero row.
  public static func read(_ path: String) throws -> Tensor {
    var atoms = try DictionarySamples.matrix(file: path)
    let n = atoms.columns
    for k in 0..<atoms.rows {
      let norm = (0..<n).reduce(0.0) { $0 + Double(atoms[k, $1]) * Double(atoms[k, $1]) }.squareRoot()
      guard norm > 0 else {
        throw ExperimentError.unusableData("spikegram: --atoms '\(path)' has an all-zero row \(k)")
      }
      for i in 0..<n { atoms.scalars[k * n + i] = Float(Double(atoms.scalars[k * n + i]) / norm) }
    }
    return atoms
  }
}

/// The summary of `sparsity spikegram`: sizes, spikes, SNR and the STFT baseline.
public struct SpikegramSummary: Sendable, Encodable {
  /// Sounds coded.
  public var files: Int
  /// Their total length in seconds.
  public var seconds: Double
  /// The number of atoms.
  public var atoms: Int
  /// Samples per atom.
  public var atomLength: Int
  /// Spikes placed in all sounds.
  public var spikes: Int
  /// Spikes per second of sound.
  public var spikesPerSecond: Double
  /// SNR of the reconstruction of all sounds, dB.
  public var snr: Double
  /// SNR of the STFT keeping as many complex coefficients as there are spikes, dB (the best of
  /// `Spikegram.stftFrameLengths`).
  public var stftSNR: Double
  /// The STFT frame length that gave `stftSNR`.
  public var stftFrameLength: Int
  /// Wall time of the coding alone (pursuit and refit of every sound).
  public var codingSeconds: Double
  /// Wall time of the whole command.
  public var totalSeconds: Double

  /// The summary of `codes` of `signals` over `atoms`.
  public init(
    codes: [SpikegramCode], signals: [[Float]], atoms: Tensor, sampleRate: Int, codingSeconds: Double,
    seconds total: Double
  ) {
    self.codingSeconds = codingSeconds
    files = codes.count
    let samples = signals.reduce(0) { $0 + $1.count }
    seconds = Double(samples) / Double(sampleRate)
    self.atoms = atoms.rows
    atomLength = atoms.columns
    spikes = codes.reduce(0) { $0 + $1.code.spikes.count }
    spikesPerSecond = seconds > 0 ? Double(spikes) / seconds : 0
    let original = signals.flatMap { $0 }
    snr = SignalToNoise.decibels(signal: original, approximation: codes.flatMap(\.reconstruction))
    let stft = Spikegram.stftBaseline(signals, spikeCounts: codes.map(\.code.spikes.count))
    (stftSNR, stftFrameLength) = (stft.decibels, stft.frameLength)
    totalSeconds = total
  }

  private enum CodingKeys: String, CodingKey {
    case files, seconds, atoms, spikes, snr
    case atomLength = "atom_length"
    case spikesPerSecond = "spikes_per_second"
    case stftSNR = "stft_snr"
    case stftFrameLength = "stft_frame_length"
    case totalSeconds = "total_seconds"
    case codingSeconds = "coding_seconds"
  }

  /// The summary as (name, value) lines.
  public var keyValues: [(String, String)] {
    [
      ("sound", "\(files) file\(files == 1 ? "" : "s"), \(String(format: "%.3f", seconds)) s"),
      ("atoms", "\(atoms) of \(atomLength) samples"),
      ("spikes", "\(spikes), \(String(format: "%.1f", spikesPerSecond)) per second"),
      ("SNR", String(format: "%.2f dB", snr)),
      (
        "STFT, same count",
        String(format: "%.2f dB (largest complex coefficients, best frame length: %ld)", stftSNR, stftFrameLength)
      ),
    ]
  }

  /// The spike list as CSV: a header, then `file,atom,time,seconds,amplitude` per spike, files in
  /// order, spikes by time; time in samples (the atom's first sample), seconds at `sampleRate`.
  public static func csv(_ codes: [SpikegramCode], sampleRate: Int) -> String {
    var text = "file,atom,time,seconds,amplitude\n"
    for (index, code) in codes.enumerated() {
      for spike in code.code.spikes {
        text +=
          "\(index),\(spike.atom),\(spike.time),\(String(format: "%.6f", Double(spike.time) / Double(sampleRate))),\(spike.amplitude)\n"
      }
    }
    return text
  }

  /// The spikes of all codes with times shifted as if the sounds were one after another.
  public static func concatenated(_ codes: [SpikegramCode]) -> [Spike] {
    var offset = 0
    var spikes: [Spike] = []
    for code in codes {
      spikes += code.code.spikes.map { Spike(atom: $0.atom, time: $0.time + offset, amplitude: $0.amplitude) }
      offset += code.reconstruction.count
    }
    return spikes
  }
}
