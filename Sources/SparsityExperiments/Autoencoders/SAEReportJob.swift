// What `sparsity sae report` runs: statistics, evaluation, contexts or pictures, the dashboard.
import Foundation
import SparsityAutoencoders
import SparsityCore
import SparsityIO
import SparsityReport

/// A dashboard of a saved autoencoder on activation rows.
public struct SAEReportJob: Sendable {
  /// Where the rows came from, for the page.
  public var source: String
  /// The contexts file, one line per row (nil: none).
  public var contexts: URL?
  /// The rows as images (nil: none).
  public var imageShape: ImageShape?
  /// Top rows kept per latent.
  public var top: Int
  /// Latents given a card.
  public var shownLatents: Int
  /// Text to look for in the top rows' contexts (nil: no search).
  public var search: String?
  /// The report directory.
  public var output: URL

  /// A job; see the properties.
  public init(
    source: String, contexts: URL?, imageShape: ImageShape?, top: Int, shownLatents: Int, search: String?,
    output: URL
  ) {
    self.source = source
    self.contexts = contexts
    self.imageShape = imageShape
    self.top = top
    self.shownLatents = shownLatents
    self.search = search
    self.output = output
  }

  /// What the job found and where the page is.
  public struct Result: Sendable {
    /// Reconstruction and sparsity on the rows.
    public var evaluation: SAEEvaluation
    /// The latents' statistics.
    public var statistics: LatentStatistics
    /// The latents with a card.
    public var shownLatents: [Int]
    /// The search results (empty without a search).
    public var matches: [LatentMatch]
    /// The page.
    public var index: URL
  }

  /// Checks the inputs (image shape, contexts line count) before the passes over the rows, then
  /// computes the statistics and the evaluation (two passes) and writes the dashboard.
  /// - Throws: `ExperimentError` for an image shape that does not fit the rows,
  ///   `LatentContextsError` for a bad contexts file, `MemoryBudgetError`, `ReportError`, and
  ///   whatever reading the rows throws.
  public func run(_ autoencoder: SparseAutoencoder, on rows: some SAERowSet) throws -> Result {
    if let shape = imageShape, shape.pixelCount != rows.columns {
      throw ExperimentError.invalidSetting(
        option: "image-shape", value: "\(shape)", expected: "\(rows.columns) pixels, the width of a row")
    }
    if let contexts { _ = try LatentContexts.read(contexts, rowCount: rows.rowCount, keeping: []) }
    let statistics = try LatentStatistics.compute(autoencoder, on: rows, top: top)
    let evaluation = try SAEEvaluation.evaluate(autoencoder, on: rows)
    let shown = Array(statistics.latentsByFrequency.filter { statistics.firingCounts[$0] > 0 }.prefix(shownLatents))
    let lines = try contexts.map {
      try LatentContexts.read($0, rowCount: rows.rowCount, keeping: Set(statistics.allTopRows))
    }
    let matches = lines.flatMap { lines in search.map { LatentSearch.rank(statistics, contexts: lines, query: $0) } }
    var content = SAEReportContent(
      source: source, kind: autoencoder.activation.summary, inputs: autoencoder.inputs, evaluation: evaluation,
      statistics: statistics, shownLatents: shown, contexts: lines,
      search: search.map { ($0, matches ?? []) })
    if let shape = imageShape {
      content.imageShape = shape
      for latent in shown { content.pictures[latent] = try picture(statistics.topRows[latent], of: rows, shape: shape) }
    }
    let index = try ReportWriter.write(SAEReport.document(content), to: output)
    return Result(
      evaluation: evaluation, statistics: statistics, shownLatents: shown, matches: matches ?? [], index: index)
  }

  /// The top rows as tiles of `shape` in one line, each scaled to its own range.
  func picture(_ top: [LatentActivation], of rows: some SAERowSet, shape: ImageShape) throws -> GrayImage {
    var tiles = Tensor(zeros: [top.count, shape.pixelCount])
    try tiles.scalars.withUnsafeMutableBufferPointer { buffer in
      for (i, entry) in top.enumerated() {
        try rows.read(rows: entry.row..<(entry.row + 1), into: buffer.baseAddress! + i * shape.pixelCount)
      }
    }
    return ImageGrid.image(
      tiles: tiles, tileWidth: shape.columns, tileHeight: shape.rows, columns: Swift.max(1, top.count))
  }
}

extension SAEReportJob.Result: Encodable {
  private enum CodingKeys: String, CodingKey {
    case evaluation, statistics, search, report
    case shownLatents = "shown_latents"
  }

  /// evaluation, statistics (every latent), shown_latents, search, report (the page's path).
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(evaluation, forKey: .evaluation)
    try container.encode(statistics, forKey: .statistics)
    try container.encode(shownLatents, forKey: .shownLatents)
    try container.encode(matches, forKey: .search)
    try container.encode(index.relativePath, forKey: .report)
  }
}
