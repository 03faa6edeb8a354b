// `--report DIR` of sound coding: waveforms, atoms, spectrograms, the spikegram and the SNR curve.

import Foundation
import SparsityCoding
import SparsityCore
import SparsityReport

/// What the sound report shows: a coded sound and its reconstruction, the atoms, the SNR curve
/// against a fixed transform and, for shift-invariant coding, the spikes.
public struct SoundReportContent: Sendable {
  /// The page title.
  public var title: String
  /// The lines of the summary table (name, value).
  public var summary: [(String, String)]
  /// Samples per second of both signals.
  public var sampleRate: Int
  /// The sound that was coded.
  public var original: [Float]
  /// Its reconstruction from the code.
  public var reconstruction: [Float]
  /// The atoms, atoms x samples (frame dictionary or shift-invariant kernels).
  public var atoms: Tensor
  /// The spikes of a shift-invariant code of `original`, nil for frame coding.
  public var spikes: [Spike]?
  /// SNR against the number of coefficients, with the baseline.
  public var curve: SNRCurve

  /// The content; see the properties.
  public init(
    title: String, summary: [(String, String)], sampleRate: Int, original: [Float], reconstruction: [Float],
    atoms: Tensor, spikes: [Spike]? = nil, curve: SNRCurve
  ) {
    precondition(original.count == reconstruction.count, "SoundReportContent: the reconstruction's length differs")
    self.title = title
    self.summary = summary
    self.sampleRate = sampleRate
    self.original = original
    self.reconstruction = reconstruction
    self.atoms = atoms
    self.spikes = spikes
    self.curve = curve
  }
}

extension SoundReportContent {
  /// The report of coding `sound`'s frames over `dictionary`: the signals one after another, the
  /// reconstruction `reconstruction` (as long), and the SNR curve at `SNRCurve.frameBudgets`.
  public init(
    frames sound: SoundFrames, dictionary: Tensor, reconstruction: [Float], summary: [(String, String)], title: String
  ) {
    self.init(
      title: title, summary: summary, sampleRate: sound.sampleRate, original: sound.originals.flatMap { $0 },
      reconstruction: reconstruction, atoms: dictionary,
      curve: SNRCurve.frames(sound, dictionary: dictionary, counts: SNRCurve.frameBudgets(features: dictionary.columns))
    )
  }
}

/// The offline HTML report of sound coding (`sparsity code --report`, `sparsity spikegram --report`).
public enum SoundReport {
  /// Writes DIR/index.html with its pictures and returns its URL.
  /// - Throws: `ReportError` naming the directory or file that could not be written.
  public static func write(_ content: SoundReportContent, to directory: URL) throws -> URL {
    try ReportWriter.write(document(content), to: directory)
  }

  /// The page: summary, SNR curve, waveforms, spectrograms, atoms and (shift-invariant) spikegram.
  public static func document(_ content: SoundReportContent) -> ReportDocument {
    var report = ReportDocument(
      title: content.title,
      introduction: "A sound coded with few coefficients: how close the reconstruction comes (SNR, "
        + "10 log10 of signal over error energy), against a fixed transform given the same budget, and what the "
        + "learned atoms look like, ordered by the frequency of their spectral peak.")
    var summary = ReportSection("Summary")
    summary.keyValues(content.summary)
    report.append(summary)
    report.append(curveSection(content.curve))
    report.append(waveformSection(content))
    report.append(spectrogramSection(content))
    let spectra = AtomSpectra.magnitudes(content.atoms)
    let order = AtomSpectra.order(spectra)
    report.append(atomSection(content, spectra: spectra, order: order))
    if let spikes = content.spikes { report.append(spikegramSection(content, spikes: spikes, order: order)) }
    return report
  }

  /// The SNR curve against the baseline, as a chart and a table.
  static func curveSection(_ curve: SNRCurve) -> ReportSection {
    var section = ReportSection("SNR against the number of coefficients")
    section.figure(
      LineChart(
        title: "Reconstruction SNR", xAxis: Axis(curve.budget, scale: .logarithmic), yAxis: Axis("SNR", unit: "dB"),
        series: [
          LineSeries("learned atoms", x: curve.counts, y: curve.learned),
          LineSeries(curve.baseline, x: curve.counts, y: curve.reference, dashed: true),
        ]), caption: "Higher is better; the gap is what learning the atoms buys at each budget.")
    var table = DataTable(columns: [
      .init(curve.budget, .number), .init("learned (dB)", .number), .init("\(curve.baseline) (dB)", .number),
      .init("gain (dB)", .number),
    ])
    for i in curve.counts.indices {
      table.append([
        String(format: "%g", curve.counts[i]), String(format: "%.2f", curve.learned[i]),
        String(format: "%.2f", curve.reference[i]), String(format: "%+.2f", curve.learned[i] - curve.reference[i]),
      ])
    }
    section.table(table)
    return section
  }

  /// 40 ms around the loudest sample, original and reconstruction.
  static func waveformSection(_ content: SoundReportContent) -> ReportSection {
    var section = ReportSection("Waveforms")
    let loudest = content.original.indices.max { abs(content.original[$0]) < abs(content.original[$1]) } ?? 0
    let half = content.sampleRate / 50
    let range = Swift.max(0, loudest - half)..<Swift.min(content.original.count, loudest + half)
    let times = range.map { 1000 * Double($0) / Double(content.sampleRate) }
    section.figure(
      LineChart(
        title: "40 ms around the loudest sample", xAxis: Axis("time", unit: "ms"), yAxis: Axis("amplitude"),
        series: [
          LineSeries("original", x: times, y: range.map { Double(content.original[$0]) }),
          LineSeries("reconstruction", x: times, y: range.map { Double(content.reconstruction[$0]) }, dashed: true),
        ], size: .wide), caption: "The coded sound over the original.")
    return section
  }

  /// The spectrograms of the original and the reconstruction on one scale.
  static func spectrogramSection(_ content: SoundReportContent) -> ReportSection {
    var section = ReportSection("Spectrograms")
    let reference = SoundPictures.loudestBin(content.original)
    let seconds = String(format: "%.2f", Double(content.original.count) / Double(content.sampleRate))
    let caption =
      "Time left to right (\(seconds) s), 0 to \(content.sampleRate / 2) Hz bottom to top; |STFT| of 512-sample Hann "
      + "frames every 128, the top 80 dB of the original's loudest bin in viridis (yellow loud, purple quiet)."
    for (name, signal) in [("original", content.original), ("reconstruction", content.reconstruction)] {
      section.image(
        SoundPictures.image(
          SoundPictures.spectrogram(signal, reference: reference), fileName: "spectrogram-\(name).png",
          text: "spectrogram of the \(name)", caption: "The \(name). " + caption))
    }
    return section
  }

  /// The atoms' waveforms and spectra in `order`, and six of them as lines.
  static func atomSection(_ content: SoundReportContent, spectra: [[Double]], order: [Int]) -> ReportSection {
    var section = ReportSection("Atoms")
    let atoms = content.atoms
    let milliseconds = String(format: "%.1f", 1000 * Double(atoms.columns) / Double(content.sampleRate))
    section.image(
      SoundPictures.image(
        SoundPictures.atomWaveforms(atoms, order: order), fileName: "atoms.png", text: "atom waveforms",
        caption: "Each row an atom (\(atoms.rows), \(milliseconds) ms long), lowest peak frequency at the top; "
          + "color is the magnitude relative to the atom's peak: where in its window the atom lives.", scale: 2))
    section.image(
      SoundPictures.image(
        SoundPictures.atomSpectra(spectra, order: order), fileName: "atom-spectra.png", text: "atom spectra",
        caption: "The same rows: each atom's magnitude spectrum, 0 to \(content.sampleRate / 2) Hz left to right.",
        scale: 2))
    let picks = (0..<Swift.min(6, order.count)).map { order[$0 * order.count / Swift.min(6, order.count)] }
    let times = (0..<atoms.columns).map { 1000 * Double($0) / Double(content.sampleRate) }
    section.figure(
      LineChart(
        title: "Six atoms from low to high peak frequency", xAxis: Axis("time", unit: "ms"), yAxis: Axis("value"),
        series: picks.map { atom in LineSeries("atom \(atom)", x: times, y: atoms.row(atom).scalars.map(Double.init)) },
        size: .wide), caption: "Learned atoms of speech are localized in time and frequency, like the ear's filters.")
    return section
  }

  /// The spikes as a picture, one row per atom in `order`.
  static func spikegramSection(_ content: SoundReportContent, spikes: [Spike], order: [Int]) -> ReportSection {
    var section = ReportSection("Spikegram")
    let seconds = Double(content.original.count) / Double(content.sampleRate)
    section.keyValues([
      ("spikes", "\(spikes.count)"), ("spikes per second", String(format: "%.0f", Double(spikes.count) / seconds)),
    ])
    section.image(
      SoundPictures.image(
        SoundPictures.spikegram(
          spikes, atomLength: content.atoms.columns, order: order, samples: content.original.count),
        fileName: "spikegram.png", text: "spikegram",
        caption:
          "Each dot a spike: its atom (rows, lowest peak frequency at the bottom) at its time (the atom's center), "
          + "darker for larger amplitudes over a 40 dB range. The sound as a score of acoustic events (Smith & Lewicki 2006)."
      ))
    return section
  }
}
