import SparsityAnalysis
import SparsityCore
import SparsityIO
import SparsityNN
import Testing

@testable import SparsityExperiments

/// The JSON text of `sparsity analyze --json`: the model and data, then the analysis with the
/// image shape between its settings and its layers.
@Suite struct AnalyzeSubjectJSONTests {
  static func subject(imageShape: ImageShape?) -> AnalyzeSubject {
    var generator = Xoshiro256StarStar(seed: 1)
    let network = Sequential(
      inputFeatures: 2, [Linear(2, 3, using: &generator), ReLU(), Linear(3, 2, using: &generator)])
    let dataset = LabeledDataset(
      features: Tensor(rows: [[1, 0], [0, 1], [1, 1]]), labels: [0, 1, 1], classCount: 2, name: "tiny")
    let analysis = NetworkAnalysis.analyze(
      network: network, features: dataset.features, labels: dataset.labels, classes: 2,
      settings: .init(topInputs: 2, histogramBins: 3))
    return AnalyzeSubject(
      path: "m.safetensors", data: AnalyzeData(dataset: dataset, source: .digits, imageShape: imageShape),
      model: ModelFile(network: network), analysis: analysis)
  }

  /// The analysis' own text with the subject's members put where `analyze --json` puts them.
  static func expected(_ subject: AnalyzeSubject, imageShape: String) throws -> String {
    let analysis = try JSONValue(encoding: subject.analysis).text
    let layers = try #require(analysis.range(of: #","input":{"#))
    return #"{"model":"m.safetensors","data":"digits","split":"test","#
      + analysis[analysis.index(after: analysis.startIndex)..<layers.lowerBound]
      + #","image_shape":"# + imageShape + analysis[layers.lowerBound...]
  }

  @Test func theImageShapeComesBetweenTheSettingsAndTheLayers() throws {
    let subject = Self.subject(imageShape: ImageShape(rows: 1, columns: 2))
    let text = try JSONValue(encoding: subject).text
    #expect(text == (try Self.expected(subject, imageShape: "[1,2]")))
    #expect(
      text.hasPrefix(
        #"{"model":"m.safetensors","data":"digits","split":"test","samples":3,"classes":2,"class_counts":[1,2],"#
          + #""epsilon":1e-06,"top_inputs":2,"image_shape":[1,2],"input":{"index":null,"name":"input","units":2,"#))
  }

  @Test func noImagesIsNull() throws {
    let subject = Self.subject(imageShape: nil)
    #expect(try JSONValue(encoding: subject).text == (try Self.expected(subject, imageShape: "null")))
  }
}
