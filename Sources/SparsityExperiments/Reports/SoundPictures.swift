// The raster pictures of the sound report: spectrograms, atoms and spikegrams as RGB pixels.

import Foundation
import SparsityCoding
import SparsityCore
import SparsityReport

/// Spectrograms, atom pictures and spikegrams as interleaved RGB intensities in 0...1.
enum SoundPictures {
  /// The widest picture, in pixels: longer sounds are pooled (maximum) into this many columns.
  static let maximumWidth = 1200

  /// An RGB raster: `width` x `height`, rows top to bottom.
  struct Raster {
    var width: Int
    var height: Int
    var rgb: [Float]

    init(width: Int, height: Int, background: Float = 1) {
      self.width = width
      self.height = height
      rgb = [Float](repeating: background, count: width * height * 3)
    }

    mutating func set(_ x: Int, _ y: Int, _ color: (Double, Double, Double)) {
      let i = (y * width + x) * 3
      (rgb[i], rgb[i + 1], rgb[i + 2]) = (Float(color.0), Float(color.1), Float(color.2))
    }
  }

  /// The log-magnitude spectrogram of `signal`: frames of 512 samples every 128 (periodic Hann),
  /// low frequencies at the bottom, viridis over the top `range` decibels of `reference` (the
  /// original's loudest bin, so original and reconstruction share one scale), frames pooled by
  /// their maximum to at most `maximumWidth` columns.
  static func spectrogram(_ signal: [Float], reference: Float? = nil, range: Float = 80) -> Raster {
    let stft = STFT(window: Window.hann.values(length: 512), hop: 128)
    let magnitudes = stft.magnitudes(signal)
    let (frames, bins) = (magnitudes.rows, magnitudes.columns)
    let width = Swift.max(1, Swift.min(maximumWidth, frames))
    var pooled = [Float](repeating: 0, count: width * bins)
    for f in 0..<frames {
      let column = f * width / Swift.max(1, frames)
      for b in 0..<bins { pooled[column * bins + b] = Swift.max(pooled[column * bins + b], magnitudes[f, b]) }
    }
    let top = Swift.max(reference ?? pooled.max() ?? 0, Float.leastNormalMagnitude)
    var raster = Raster(width: width, height: bins)
    for column in 0..<width {
      for b in 0..<bins {
        let decibels = 20 * log10(Swift.max(pooled[column * bins + b], Float.leastNormalMagnitude) / top)
        raster.set(column, bins - 1 - b, ColorMap.viridisComponents(Double(1 + decibels / range)))
      }
    }
    return raster
  }

  /// The largest STFT magnitude of `signal`, the reference of `spectrogram(_:reference:)`.
  static func loudestBin(_ signal: [Float]) -> Float {
    STFT(window: Window.hann.values(length: 512), hop: 128).magnitudes(signal).scalars.max() ?? 0
  }

  /// The atoms, one row each in `order`, `rowHeight` pixels tall: each atom's samples from white
  /// through viridis by magnitude relative to the atom's largest (its shape, not its sign).
  static func atomWaveforms(_ atoms: Tensor, order: [Int], rowHeight: Int = 2) -> Raster {
    let length = atoms.columns
    var raster = Raster(width: length, height: order.count * rowHeight)
    for (row, atom) in order.enumerated() {
      let values = atoms.row(atom).scalars
      let peak = Swift.max(values.map(abs).max() ?? 0, Float.leastNormalMagnitude)
      for i in 0..<length {
        let color = ColorMap.viridisComponents(Double(abs(values[i]) / peak))
        for y in 0..<rowHeight { raster.set(i, row * rowHeight + y, color) }
      }
    }
    return raster
  }

  /// The atoms' magnitude spectra (`AtomSpectra`), one row each in `order`, frequencies left to
  /// right, each scaled to its own peak.
  static func atomSpectra(_ spectra: [[Double]], order: [Int], rowHeight: Int = 2) -> Raster {
    let bins = spectra.first?.count ?? 1
    var raster = Raster(width: bins, height: order.count * rowHeight)
    for (row, atom) in order.enumerated() {
      let peak = Swift.max(spectra[atom].max() ?? 0, .leastNormalMagnitude)
      for b in 0..<bins {
        let color = ColorMap.viridisComponents(spectra[atom][b] / peak)
        for y in 0..<rowHeight { raster.set(b, row * rowHeight + y, color) }
      }
    }
    return raster
  }

  /// The spikegram: one row per atom in `order` (rows of `rowHeight` pixels, low frequencies at
  /// the bottom), time left to right over `samples` samples in at most `maximumWidth` columns,
  /// each spike a dot darkened by log10 of its magnitude over the 40 dB below the largest.
  static func spikegram(_ spikes: [Spike], atomLength: Int, order: [Int], samples: Int, rowHeight: Int = 3) -> Raster {
    let width = Swift.max(1, Swift.min(maximumWidth, samples / 16))
    var raster = Raster(width: width, height: order.count * rowHeight)
    var rank = [Int](repeating: 0, count: order.count)
    for (position, atom) in order.enumerated() { rank[atom] = position }
    let largest = Swift.max(spikes.map { abs($0.amplitude) }.max() ?? 0, .leastNormalMagnitude)
    for spike in spikes.sorted(by: { abs($0.amplitude) < abs($1.amplitude) }) {
      let center = Swift.min(samples - 1, spike.time + atomLength / 2)
      let x = Swift.min(width - 1, Swift.max(0, center) * width / Swift.max(1, samples))
      let level = Double(Swift.max(0, 1 + 20 * log10(abs(spike.amplitude) / largest) / 40))
      let row = (order.count - 1 - rank[spike.atom]) * rowHeight
      for y in row..<(row + rowHeight) { raster.set(x, y, ColorMap.viridisComponents(1 - level)) }
    }
    return raster
  }

  /// A report image of `raster`.
  static func image(_ raster: Raster, fileName: String, text: String, caption: String, scale: Int = 1) -> ReportImage {
    ReportImage(
      fileName: fileName, rgb: raster.rgb, width: raster.width, height: raster.height, alternativeText: text,
      caption: caption, scale: scale)
  }
}

/// The magnitude spectra of atoms and their peak frequencies, the order in which the report shows
/// them (low to high, as a filter bank is drawn).
enum AtomSpectra {
  /// |DFT| of each atom zero-padded to the power of two at or above max(256, length), bins
  /// 0...n/2, by `RealFFT`.
  static func magnitudes(_ atoms: Tensor) -> [[Double]] {
    var n = 256
    while n < atoms.columns { n *= 2 }
    let fft = RealFFT(count: n)
    return (0..<atoms.rows).map { atom in
      let padded = atoms.row(atom).scalars + [Float](repeating: 0, count: n - atoms.columns)
      let (re, im) = fft.forward(padded)
      return zip(re, im).map { (a: Float, b: Float) -> Double in
        let (x, y) = (Double(a), Double(b))
        return (x * x + y * y).squareRoot()
      }
    }
  }

  /// The atoms in order of their peak frequency (ties by index).
  static func order(_ spectra: [[Double]]) -> [Int] {
    let peaks = spectra.map { s in s.indices.max { s[$0] < s[$1] } ?? 0 }
    return spectra.indices.sorted { (peaks[$0], $0) < (peaks[$1], $1) }
  }
}
