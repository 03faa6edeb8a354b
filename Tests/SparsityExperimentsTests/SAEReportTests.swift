import Foundation
import SparsityAutoencoders
import SparsityCore
import SparsityExperiments
import SparsityIO
import SparsityTestSupport
import Testing

/// The autoencoder dashboard without contexts: row numbers, or the top rows as images.
@Suite struct SAEReportTests {
  /// The 12 -> 12 identity autoencoder with ReLU and rows where latent i % 12 fires.
  static func subject() -> (SparseAutoencoder, Tensor) {
    var eye = Tensor(zeros: [12, 12])
    for j in 0..<12 { eye[j, j] = 1 }
    let zeros = [Float](repeating: 0, count: 12)
    let autoencoder = SparseAutoencoder(
      encoder: eye, encoderBias: zeros, decoder: eye, decoderBias: zeros, activation: .relu)
    var x = Tensor(zeros: [60, 12])
    for i in 0..<60 { x[i, i % 12] = Float(1 + i) }
    return (autoencoder, x)
  }

  @Test func imageShapeDrawsEachShownLatentsTopRows() throws {
    let directory = try temporaryDirectory("sparsity-sae-report")
    defer { try? FileManager.default.removeItem(at: directory) }
    let (autoencoder, x) = Self.subject()
    let job = SAEReportJob(
      source: "planted", contexts: nil, imageShape: ImageShape(rows: 3, columns: 4), top: 3, shownLatents: 4,
      search: nil, output: directory)
    let result = try job.run(autoencoder, on: x)
    #expect(result.shownLatents == [0, 1, 2, 3], "all fire 5 times: ties go to the lower index")
    #expect(result.statistics.topRows[0].map(\.row) == [48, 36, 24])
    #expect(abs(result.evaluation.fvu) < 1e-9)
    let html = try String(contentsOf: result.index, encoding: .utf8)
    #expect(html.contains("src=\"latent-3.png\"") && !html.contains("latent-4.png"))
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("latent-0.png").path))
  }

  @Test func withoutContextsTheCardsListRowsAndActivations() throws {
    let (autoencoder, x) = Self.subject()
    let statistics = try LatentStatistics.compute(autoencoder, on: x, top: 2)
    let content = SAEReportContent(
      source: "planted", kind: "relu", inputs: 12, evaluation: try SAEEvaluation.evaluate(autoencoder, on: x),
      statistics: statistics, shownLatents: [11])
    let html = SAEReport.document(content).html()
    #expect(html.contains("<h3>Latent 11</h3>"))
    #expect(html.contains("<td class=\"num\">59</td><td class=\"num\">60</td>"))
    #expect(!html.contains("<th>context</th>"))
  }
}
