// `sparsity sae report`: a trained sparse autoencoder's latents as an offline HTML dashboard.

import Foundation
import SparsityAutoencoders
import SparsityCore
import SparsityIO
import SparsityReport

/// What the autoencoder dashboard shows: the evaluation, the per-latent statistics and, for the
/// top rows, their text contexts or their pictures.
public struct SAEReportContent: Sendable {
  /// Where the rows came from (file names), for the overview.
  public var source: String
  /// The autoencoder's nonlinearity, e.g. `topk (k = 32)`.
  public var kind: String
  /// Activations per row.
  public var inputs: Int
  /// Reconstruction and sparsity on the rows.
  public var evaluation: SAEEvaluation
  /// The latents' statistics on the same rows.
  public var statistics: LatentStatistics
  /// The latents given a card, in order.
  public var shownLatents: [Int]
  /// The top rows' text contexts, if any.
  public var contexts: LatentContexts?
  /// The top rows of each shown latent as pictures (tiles of `imageShape`), if any.
  public var pictures: [Int: GrayImage]
  /// The shape of a row as an image, when `pictures` are given.
  public var imageShape: ImageShape?
  /// Search results to show first, with their query.
  public var search: (query: String, matches: [LatentMatch])?

  /// The content; see the properties.
  public init(
    source: String, kind: String, inputs: Int, evaluation: SAEEvaluation, statistics: LatentStatistics,
    shownLatents: [Int], contexts: LatentContexts? = nil, pictures: [Int: GrayImage] = [:],
    imageShape: ImageShape? = nil, search: (query: String, matches: [LatentMatch])? = nil
  ) {
    self.source = source
    self.kind = kind
    self.inputs = inputs
    self.evaluation = evaluation
    self.statistics = statistics
    self.shownLatents = shownLatents
    self.contexts = contexts
    self.pictures = pictures
    self.imageShape = imageShape
    self.search = search
  }
}

/// The offline HTML dashboard of a sparse autoencoder: an overview, then one card per shown
/// latent (frequency, activations, histogram, top rows with their contexts or pictures).
public enum SAEReport {
  /// The page: overview, search results (if any), the latent cards.
  public static func document(_ content: SAEReportContent) -> ReportDocument {
    var report = ReportDocument(
      title: "Sparse autoencoder latents",
      introduction:
        "A \(content.kind) sparse autoencoder of \(content.inputs) inputs and \(content.statistics.latents) latents, "
        + "encoded on every row of \(content.source). A latent fires on a row when its code is nonzero; its top rows "
        + "are the rows where its activation is largest, what it responds to most.")
    report.append(overview(content))
    if let search = content.search { report.append(searchSection(search.query, search.matches)) }
    report.append(latentSection(content))
    return report
  }

  /// The autoencoder, FVU, L0, dead latents and the density histogram.
  static func overview(_ content: SAEReportContent) -> ReportSection {
    let (e, s) = (content.evaluation, content.statistics)
    var section = ReportSection("Overview")
    section.keyValues([
      ("autoencoder", content.kind), ("inputs", "\(content.inputs)"), ("latents", "\(s.latents)"),
      ("data", content.source), ("rows", "\(e.rows)"), ("FVU", e.fvuText),
      ("MSE per row", String(format: "%.4g", e.meanSquaredError)), ("L0", String(format: "%.2f", e.l0)),
      ("never firing", "\(s.firingCounts.filter { $0 == 0 }.count) (\(NumberFormat.percent(s.deadFraction)))"),
    ])
    let density = e.densityHistogram()
    let edges = density.lowerEdges + [(density.lowerEdges.last ?? -0.5) + 0.5]
    section.figure(
      Histogram(
        title: "Latent density", edges: edges, counts: density.bins, xAxis: Axis("log10 firing frequency"),
        yAxis: Axis("latents", includesZero: true),
        notes: ["\(density.neverFiring) latents never fire (not shown)"]),
      caption:
        "Latents per bin of log10 of their firing frequency (fraction of rows where they are nonzero). "
        + "FVU = Σ‖x − x̂‖² / Σ‖x − x̄‖²; L0 = mean active latents per row.")
    return section
  }

  /// The latents whose top contexts contain the query.
  static func searchSection(_ query: String, _ matches: [LatentMatch]) -> ReportSection {
    var section = ReportSection("Search: \(query)")
    section.paragraph(
      matches.isEmpty
        ? "No latent has a top row whose context contains \(query)."
        : "Latents whose top rows' contexts contain \(query) (case-insensitive), most matching rows first.")
    var table = DataTable(columns: [
      .init("latent", .number), .init("matching top rows", .number), .init("best matching context", .marked),
    ])
    for match in matches {
      table.append(["\(match.latent)", "\(match.rows.count) of \(match.topRowCount)", match.contexts.first ?? ""])
    }
    if !matches.isEmpty { section.table(table) }
    return section
  }

  /// One card per shown latent.
  static func latentSection(_ content: SAEReportContent) -> ReportSection {
    var section = ReportSection("Latents")
    section.paragraph(
      "\(content.shownLatents.count) latents that fire, by firing frequency, most frequent first; each with its "
        + "activation histogram and the rows it fires on most, highest activation first.")
    for latent in content.shownLatents { card(latent, content: content, into: &section) }
    return section
  }

  /// A latent's heading, numbers, histogram and top rows.
  static func card(_ latent: Int, content: SAEReportContent, into section: inout ReportSection) {
    let s = content.statistics
    section.subheading("Latent \(latent)")
    section.paragraph(
      "Fires on \(s.firingCounts[latent]) of \(s.rows) rows (\(NumberFormat.percent(s.frequencies[latent], decimals: 3))); "
        + "mean activation when active \(NumberFormat.compact(s.meanActivations[latent], significantDigits: 3)), "
        + "max \(NumberFormat.compact(Double(s.maxActivations[latent]), significantDigits: 3)).")
    let histogram = s.histograms[latent]
    section.compactFigure(
      Histogram(
        title: "Activations of latent \(latent)", edges: histogram.edges, counts: histogram.counts,
        xAxis: Axis("activation"), size: ChartSize(width: 360, height: 190)),
      caption: "\(histogram.counts.count) bins from 0 to \(NumberFormat.compact(Double(histogram.upperEdge))).")
    let top = s.topRows[latent]
    if let picture = content.pictures[latent], let shape = content.imageShape {
      section.image(
        ReportImage(
          fileName: "latent-\(latent).png", gray: picture,
          alternativeText: "the \(top.count) rows activating latent \(latent) most",
          caption: "Top rows, highest first: "
            + top.map { "\($0.row) (\(compact($0.activation)))" }.joined(separator: ", "),
          scale: Swift.max(1, Swift.min(4, 48 / Swift.max(shape.rows, shape.columns)))))
      return
    }
    var table = DataTable(
      columns: [.init("row", .number), .init("activation", .number)]
        + (content.contexts == nil ? [] : [.init("context", .marked)]))
    for entry in top {
      table.append(
        ["\(entry.row)", compact(entry.activation)]
          + (content.contexts.map { [$0.lines[entry.row] ?? ""] } ?? []))
    }
    section.table(table)
  }

  static func compact(_ value: Float) -> String { NumberFormat.compact(Double(value), significantDigits: 3) }
}
