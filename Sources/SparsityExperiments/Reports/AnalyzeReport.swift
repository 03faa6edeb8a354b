// `sparsity analyze --report DIR`: the analysis as an offline HTML page with charts and images.

import Foundation
import SparsityAnalysis
import SparsityCore
import SparsityIO
import SparsityReport

/// The report of `sparsity analyze`: a summary, the training history, one section per activation
/// layer (and the input) with histograms, unit lists and the most selective units' top inputs,
/// for image networks one section per image-shaped layer's channels (`AnalyzeChannels`) and the
/// first-layer orientation tuning (`AnalyzeOrientation`), and the weights.
public enum AnalyzeReport {
  /// Units per layer shown with their top-activating inputs.
  static let shownUnits = 10
  /// Units shown must be active on at least this share of the inputs: one that fires on a
  /// single input has selectivity 1 by construction and says little.
  static let shownFiringRate = 0.02

  /// Writes DIR/index.html and its PNG images.
  /// - Throws: `ReportError` naming the directory or file that could not be written.
  public static func write(_ subject: AnalyzeSubject, to directory: URL) throws {
    try ReportWriter.write(document(subject), to: directory)
  }

  /// The page: summary, training history, input, one section per activation layer, channels
  /// and orientation tuning (image networks), weights.
  public static func document(_ subject: AnalyzeSubject) -> ReportDocument {
    let analysis = subject.analysis
    var report = ReportDocument(
      title: "Sparsity analysis of \(subject.path)",
      introduction:
        "Every number below is computed by sparsity analyze from the model and the test part of \(subject.data.source) "
        + "(\(analysis.samples) samples, scaled as in training). A unit is active on an input when |a| > epsilon = \(analysis.settings.epsilon)."
    )
    report.append(summary(subject))
    if let history = AnalyzeHistory.section(subject.model.record.history) { report.append(history) }
    report.append(layerSection(analysis.input, subject: subject, title: "Input features"))
    for layer in analysis.activations {
      report.append(layerSection(layer, subject: subject, title: "Layer \(layer.layerIndex!): \(layer.name)"))
    }
    for layer in analysis.channels { report.append(AnalyzeChannels.section(layer, subject: subject)) }
    if let orientation = analysis.orientation {
      report.append(AnalyzeOrientation.section(orientation))
    }
    report.append(weightSection(subject))
    return report
  }

  /// Settings and the per-layer tables of the terminal summary.
  static func summary(_ subject: AnalyzeSubject) -> ReportSection {
    let analysis = subject.analysis
    var section = ReportSection("Summary")
    section.keyValues([
      ("model", subject.path),
      ("architecture", subject.model.network.layers.map(\.description).joined(separator: " → ")),
      ("data", "\(subject.data.source), test part"), ("samples", "\(analysis.samples)"),
      ("classes", "\(analysis.classes)"),
      ("epsilon", "\(analysis.settings.epsilon)"), ("top inputs per unit", "\(analysis.settings.topInputs)"),
    ])
    var table = DataTable(columns: [
      .init("layer"), .init("units", .number), .init("zeros (%)", .number), .init("near-zero (%)", .number),
      .init("active per input, mean", .number), .init("median", .number), .init("dead", .number),
      .init("always on", .number),
      .init("mean selectivity", .number),
    ])
    for layer in [analysis.input] + analysis.activations {
      table.append([
        layer.layerIndex.map { "\($0) \(layer.name)" } ?? layer.name, "\(layer.units)", percent(layer.zeroFraction),
        percent(layer.nearZeroFraction), String(format: "%.2f", layer.activeUnitsPerInput.mean),
        String(format: "%g", layer.activeUnitsPerInput.median), "\(layer.deadUnits.count)",
        "\(layer.alwaysOnUnits.count)",
        layer.meanSelectivity.map { String(format: "%.3f", $0) } ?? "–",
      ])
    }
    section.table(table)
    return section
  }

  /// Histograms of values, firing rates and active units per input; unit lists; selectivity.
  static func layerSection(_ layer: ActivationAnalysis, subject: AnalyzeSubject, title: String) -> ReportSection {
    var section = ReportSection(title)
    let what = layer.layerIndex == nil ? "features" : "units"
    section.paragraph(
      "\(layer.units) \(what); \(percent(layer.zeroFraction))% of the outputs are exactly zero, \(percent(layer.nearZeroFraction))% have |a| ≤ epsilon."
    )
    section.figure(
      valueChart(layer.valueHistogram, title: "Active values (|a| > epsilon)", axis: Axis("activation")),
      caption: "Distribution of the nonzero outputs over all inputs and \(what).")
    section.figure(
      Histogram(
        title: "Firing rates", values: layer.firingRates, bins: 20, range: 0...1,
        xAxis: Axis("fraction of inputs where active")),
      caption:
        "Per \(what.dropLast()): the fraction of inputs on which it is active. Dead ones are at 0, always-on ones at 1."
    )
    section.figure(
      activeCountChart(layer.activeUnitsPerInput, what: what),
      caption: String(
        format: "Active %@ per input (L0): mean %.2f, median %g.", what, layer.activeUnitsPerInput.mean,
        layer.activeUnitsPerInput.median))
    section.paragraph(
      "Dead (never active): \(UnitList.text(layer.deadUnits, limit: 50)). Always on: \(UnitList.text(layer.alwaysOnUnits, limit: 50))."
    )
    guard layer.layerIndex != nil, !layer.selectivity.isEmpty else { return section }
    section.figure(
      Histogram(
        title: "Class selectivity", values: layer.selectivity.compactMap(\.index), bins: 20, range: 0...1,
        xAxis: Axis("selectivity index")),
      caption:
        "(mu_max − mu_rest) / (mu_max + mu_rest) of each unit's mean positive activation per class (Morcos et al. 2018); dead units have none."
    )
    selectivityBlocks(layer, subject: subject, into: &section)
    return section
  }

  /// A table of the most selective units and, for image data, their top inputs as images.
  static func selectivityBlocks(_ layer: ActivationAnalysis, subject: AnalyzeSubject, into section: inout ReportSection)
  {
    let units = layer.mostSelectiveUnits(shownUnits, minimumFiringRate: shownFiringRate)
    let labels = subject.data.dataset.labels
    section.subheading(
      "The \(units.count) most selective units active on at least \(Int(shownFiringRate * 100))% of the inputs, and the inputs that activate them most"
    )
    var table = DataTable(columns: [
      .init("unit", .number), .init("selectivity", .number), .init("preferred class", .number),
      .init("firing rate (%)", .number),
      .init("top inputs: index (label) activation"),
    ])
    for unit in units {
      let top = layer.topInputs[unit].map {
        "\($0.input) (\(labels[$0.input])) \(NumberFormat.compact(Double($0.value), significantDigits: 3))"
      }
      table.append([
        "\(unit)", String(format: "%.3f", layer.selectivity[unit].index!), "\(layer.selectivity[unit].preferredClass!)",
        String(format: "%.3g", layer.firingRates[unit] * 100), top.joined(separator: ", "),
      ])
    }
    section.table(table)
    guard let shape = subject.data.imageShape else { return }
    for unit in units where !layer.topInputs[unit].isEmpty {
      let inputs = layer.topInputs[unit].map(\.input)
      let image = AnalysisImages.inputs(inputs, of: subject.data.dataset.features, shape: shape)
      section.image(
        ReportImage(
          fileName: "layer\(layer.layerIndex!)-unit\(unit).png", gray: image,
          alternativeText: "the \(inputs.count) inputs activating unit \(unit) of layer \(layer.layerIndex!) most",
          caption: "Unit \(unit): inputs " + inputs.map { "\($0) (class \(labels[$0]))" }.joined(separator: ", "),
          scale: imageScale(shape)))
    }
  }

  /// Weight tables, magnitude histograms and the first layer's weights as images.
  static func weightSection(_ subject: AnalyzeSubject) -> ReportSection {
    var section = ReportSection("Weights")
    var table = DataTable(columns: [
      .init("layer"), .init("shape"), .init("zeros (%)", .number), .init("|w| ≤ epsilon (%)", .number),
      .init("|w| < 1e-3 (%)", .number),
      .init("mean |w|", .number), .init("max |w|", .number), .init("all-zero rows", .number),
    ])
    for w in subject.analysis.weights {
      table.append([
        "\(w.layerIndex) \(w.name)", w.shape.map(String.init).joined(separator: "×"), percent(w.zeroFraction),
        percent(w.nearZeroFraction),
        percent(w.smallFraction), NumberFormat.compact(w.meanMagnitude), NumberFormat.compact(w.maximumMagnitude),
        "\(w.zeroRows.count)",
      ])
    }
    section.table(table)
    for w in subject.analysis.weights {
      section.figure(
        valueChart(
          w.magnitudeHistogram, title: "|w| of layer \(w.layerIndex) \(w.name)", axis: Axis("|w|", scale: .logarithmic)),
        caption:
          "Magnitudes of the nonzero weights in log-spaced bins; \(percent(w.zeroFraction))% of the weights are exactly zero."
      )
    }
    if let shape = subject.data.imageShape,
      let grid = AnalysisImages.firstLayerWeights(of: subject.model.network, shape: shape)
    {
      section.image(
        ReportImage(
          fileName: "first-layer-weights.png", gray: grid, alternativeText: "first-layer weights as \(shape) images",
          caption:
            "Each tile is one first-layer unit's weights as a \(shape) image, scaled to its own range (dark: most negative, light: most positive).",
          scale: imageScale(shape)))
    }
    if let filters = AnalyzeChannels.filterImage(subject.model.network) { section.image(filters) }
    return section
  }

  /// A chart of counts binned by the analysis; a constant value gets one bin around it.
  static func valueChart(_ histogram: ValueHistogram, title: String, axis: Axis) -> Histogram {
    let edges = histogram.edges
    if zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) {
      return Histogram(title: title, edges: edges, counts: histogram.counts, xAxis: axis)
    }
    let v = histogram.lowerBound
    let around = axis.scale == .logarithmic ? [v / 2, v * 2] : [v - 0.5, v + 0.5]
    return Histogram(title: title, edges: around, counts: [histogram.total], xAxis: axis)
  }

  /// One bar per count of active units, from the smallest to the largest count seen.
  static func activeCountChart(_ distribution: CountDistribution, what: String) -> Histogram {
    let range = distribution.minimum...distribution.maximum
    return Histogram(
      title: "Active \(what) per input", edges: (range.lowerBound...(range.upperBound + 1)).map { Double($0) - 0.5 },
      counts: Array(distribution.frequencies[range]), xAxis: Axis("active \(what) (L0)"),
      yAxis: Axis("inputs", includesZero: true))
  }

  /// Display scale so that small images (8x8 digits) are readable.
  static func imageScale(_ shape: ImageShape) -> Int { max(1, min(8, 64 / max(shape.rows, shape.columns))) }

  static func percent(_ fraction: Double) -> String { String(format: "%.1f", fraction * 100) }
}
