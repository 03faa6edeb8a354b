// The image-network parts of `sparsity analyze --report`: per-channel sections, filters, feature maps.

import Foundation
import SparsityAnalysis
import SparsityCore
import SparsityNN
import SparsityReport

/// Report sections for the image-shaped activation layers of a convolutional network: one per
/// layer with its channels' sparsity, firing and selectivity and each channel's feature map on
/// its top input, and the first convolution's filters as images.
enum AnalyzeChannels {
  /// Channels listed in a layer's table.
  static let tableChannels = 64
  /// Channels whose feature maps are shown.
  static let shownChannels = 32

  /// The section of one image-shaped activation layer.
  static func section(_ layer: ChannelAnalysis, subject: AnalyzeSubject) -> ReportSection {
    let shape = layer.shape
    var section = ReportSection("Channels of layer \(layer.layerIndex): \(layer.name) (\(size(shape)))")
    section.paragraph(
      "\(shape.channels) channels of \(shape.rows)×\(shape.columns) pixels; \(percent(layer.zeroFraction))% of the values are exactly zero. "
        + "A channel is active on an input when |a| > epsilon on at least one of its pixels. "
        + "Dead channels (active on no pixel of any input): \(UnitList.text(layer.deadChannels, limit: 50)). "
        + "Always on: \(UnitList.text(layer.alwaysOnChannels, limit: 50)).")
    section.figure(
      BarChart(
        title: "Zeros and firing per channel", categories: (0..<shape.channels).map(String.init),
        categoryTitle: "channel", yAxis: Axis("share", unit: "%", range: 0...100),
        series: [
          BarSeries("exact zeros (% of values)", values: layer.zeroFractions.map { $0 * 100 }),
          BarSeries("firing rate (% of inputs)", values: layer.firingRates.map { $0 * 100 }),
        ]),
      caption:
        "Per channel: the share of its values (inputs × pixels) that are exactly zero, and the share of inputs on which it is active somewhere."
    )
    section.table(table(layer, labels: subject.data.dataset.labels))
    if let image = featureMaps(layer, subject: subject) { section.image(image) }
    return section
  }

  /// One row per channel (the first `tableChannels`).
  static func table(_ layer: ChannelAnalysis, labels: [Int]) -> DataTable {
    var table = DataTable(columns: [
      .init("channel", .number), .init("zeros (%)", .number), .init("active pixels (%)", .number),
      .init("firing rate (%)", .number), .init("mean activation", .number), .init("selectivity", .number),
      .init("preferred class", .number), .init("top inputs: index (label) \(rankingName(layer.ranking))"),
    ])
    for k in 0..<min(layer.channels, tableChannels) {
      let selectivity = layer.selectivity.isEmpty ? nil : layer.selectivity[k]
      let top = layer.topInputs[k].map {
        "\($0.input) (\(labels[$0.input])) \(NumberFormat.compact(Double($0.value), significantDigits: 3))"
      }
      table.append([
        "\(k)", percent(layer.zeroFractions[k]), percent(layer.activePixelFractions[k]),
        String(format: "%.3g", layer.firingRates[k] * 100), NumberFormat.compact(layer.meanActivations[k]),
        selectivity?.index.map { String(format: "%.3f", $0) } ?? "–",
        selectivity?.preferredClass.map(String.init) ?? "–", top.joined(separator: ", "),
      ])
    }
    return table
  }

  /// Each shown channel's top input and its feature map on it; nil without shapes or active
  /// channels.
  static func featureMaps(_ layer: ChannelAnalysis, subject: AnalyzeSubject) -> ReportImage? {
    let network = subject.model.network
    guard let input = ModelArchitecture(describing: network)?.shapes[0].image else { return nil }
    let channels = (0..<layer.channels).filter { !layer.topInputs[$0].isEmpty }.prefix(shownChannels)
    guard !channels.isEmpty else { return nil }
    let pairs = channels.map { (channel: $0, input: layer.topInputs[$0][0].input) }
    let image = AnalysisImages.featureMaps(
      of: network, layerIndex: layer.layerIndex, inputShape: input, outputShape: layer.shape,
      features: subject.data.dataset.features, pairs: pairs)
    let labels = subject.data.dataset.labels
    let resized =
      (layer.shape.rows, layer.shape.columns) == (input.rows, input.columns)
      ? "" : ", enlarged from \(layer.shape.rows)×\(layer.shape.columns) by repeating pixels"
    return ReportImage(
      fileName: "layer\(layer.layerIndex)-feature-maps.png", gray: image,
      alternativeText: "feature maps of layer \(layer.layerIndex) on each channel's top input",
      caption: "Channels \(channels.map(String.init).joined(separator: ", ")), four to a row: each channel's top input "
        + "(the largest \(rankingName(layer.ranking))) and, right of it, the channel's feature map on that input\(resized); "
        + "inputs "
        + pairs.map { "\($0.input) (class \(labels[$0.input]))" }.joined(separator: ", ")
        + (input.channels > 1 ? "; inputs shown as the mean of their \(input.channels) channels" : "")
        + ". Each tile is scaled to its own range (dark: low, light: high).",
      scale: AnalyzeReport.imageScale(ImageShape(rows: input.rows, columns: input.columns)))
  }

  /// The first convolution's filters as gray tiles; nil without a convolution.
  static func filterImage(_ network: Sequential) -> ReportImage? {
    guard let conv = network.layers.lazy.compactMap({ $0 as? Conv2d }).first,
      let grid = AnalysisImages.convolutionFilters(of: network)
    else { return nil }
    let weight = conv.weight.value.shape
    let inputs = weight[1]
    return ReportImage(
      fileName: "first-layer-filters.png", gray: grid,
      alternativeText: "the \(weight[0]) filters of the first convolution as \(weight[2])×\(weight[3]) images",
      caption: "Each tile is one filter of \(conv.description), \(weight[2])×\(weight[3]) weights"
        + (inputs > 1 ? " averaged over its \(inputs) input channels" : "")
        + ", scaled to its own range (dark: most negative, light: most positive).",
      scale: max(1, min(16, 48 / max(weight[2], weight[3]))))
  }

  /// `8×8×8` (channels × rows × columns).
  static func size(_ shape: ImageShape) -> String { "\(shape.channels)×\(shape.rows)×\(shape.columns)" }

  /// What ranks the top inputs, in words.
  static func rankingName(_ ranking: ChannelAnalysis.Ranking) -> String {
    ranking == .maximum ? "channel maximum" : "channel mean"
  }

  static func percent(_ fraction: Double) -> String { String(format: "%.1f", fraction * 100) }
}
