import Foundation
import SparsityCore
import SparsityIO
import Testing

/// `sparsity analyze` end to end: a hand-built model whose analysis is known, a trained one,
/// and bad input.
@Suite struct AnalyzeCommandTests {
  private func temporaryDirectory() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("analyzetests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  private func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// 2 inputs -> Linear -> ReLU -> Linear -> 2 classes. Hidden unit 0 has zero weights and bias
  /// -1 (dead); unit 1 copies input 0, which is the label (selectivity 1 for class 1). The data
  /// is a CSV with the label in column 0 and features (label, i / 40).
  private func writeHandBuiltModel(in directory: URL) throws -> (model: String, data: String) {
    let architecture = """
      {"input_features": 2, "layers": [{"kind": "linear", "in_features": 2, "out_features": 2, "bias": true}, {"kind": "relu"}, \
      {"kind": "linear", "in_features": 2, "out_features": 2, "bias": true}]}
      """
    let file = SafetensorsFile(
      tensors: [
        "0.weight": Tensor(rows: [[0, 0], [1, 0]]), "0.bias": Tensor([-1, 0]),
        "2.weight": Tensor(rows: [[1, 0], [0, 1]]), "2.bias": Tensor([0, 0]),
      ],
      metadata: ["format": "pt", "format_version": "1", "architecture": architecture])
    let model = directory.appendingPathComponent("hand.safetensors")
    try file.write(to: model)
    let rows = (0..<40).map { i in "\(i % 2),\(i % 2),\(Double(i) / 40)" }
    let csv = directory.appendingPathComponent("data.csv")
    try rows.joined(separator: "\n").write(to: csv, atomically: true, encoding: .utf8)
    return (model.path, csv.path)
  }

  @Test func handBuiltModelHasTheKnownDeadAndSelectiveUnits() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (model, data) = try writeHandBuiltModel(in: directory)
    let run = try SparsityExecutable.run([
      "analyze", model, "--data", "csv:\(data)", "--label-column", "0", "--scaling", "none", "--test-fraction", "0.5",
      "--top", "3", "--json",
    ])
    #expect(run.status == 0, "\(run.standardError)")
    let json = try jsonObject(run.standardOutput)
    #expect(json["samples"] as? Int == 20)  // the test part: half of 40
    #expect(json["image_shape"] is NSNull)  // 2 features: not a square image
    let layers = try #require(json["activations"] as? [[String: Any]])
    #expect(layers.count == 1)
    let relu = layers[0]
    #expect(relu["name"] as? String == "ReLU")
    #expect(relu["dead_units"] as? [Int] == [0])
    #expect((relu["selectivity"] as? [Any])?.first is NSNull)
    #expect((relu["selectivity"] as? [Any])?.last as? Double == 1)
    #expect((relu["preferred_class"] as? [Any])?.last as? Int == 1)
    let top = try #require((relu["top_inputs"] as? [[[String: Any]]])?.last)
    #expect(top.count == 3 && top.allSatisfy { $0["label"] as? Int == 1 && $0["value"] as? Double == 1 })
    let weights = try #require(json["weights"] as? [[String: Any]])
    #expect(weights.map { $0["zero_fraction"] as? Double } == [0.75, 0.5])
  }

  @Test func textSummaryOfATrainedModelAndItsReport() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("model.safetensors").path
    let train = try SparsityExecutable.run(["train", "--epochs", "2", "--layers", "32", "--out", model, "--json"])
    #expect(train.status == 0, "\(train.standardError)")
    let report = directory.appendingPathComponent("report")
    let run = try SparsityExecutable.run(["analyze", model, "--report", report.path])
    #expect(run.status == 0, "\(run.standardError)")
    let text = run.standardOutput
    #expect(text.contains("on digits (test part, 359 samples, 10 classes)"))
    #expect(text.contains("input: 64 features"))
    #expect(text.contains("1 ReLU"))
    #expect(text.contains("#1 ReLU: dead units"))
    #expect(text.contains("0 Linear(64, 32)") && text.contains("32x64"))
    let html = try String(contentsOf: report.appendingPathComponent("index.html"), encoding: .utf8)
    for part in ["Training history", "Layer 1: ReLU", "Class selectivity", "first-layer-weights.png", "<svg"] {
      #expect(html.contains(part), "\(part)")
    }
    let grid = try ImageFile.read(contentsOf: report.appendingPathComponent("first-layer-weights.png"))
    #expect(grid.width == 6 * 9 + 1)  // 32 tiles of 8x8 in 6 columns with 1-pixel borders
  }

  /// A small convolutional network trained on the digits: the channel and orientation tables,
  /// their JSON members and their report sections.
  @Test func convolutionalModelGetsChannelsAndOrientation() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let model = directory.appendingPathComponent("cnn.safetensors").path
    let train = try SparsityExecutable.run([
      "train", "--data", "digits", "--arch", "conv:4:3x3:p1,relu,maxpool:2,conv:6:3x3:p1,relu,flatten,16,relu",
      "--epochs", "2", "--out", model,
    ])
    #expect(train.status == 0, "\(train.standardError)")
    let report = directory.appendingPathComponent("report")
    let text = try SparsityExecutable.run(["analyze", model, "--report", report.path])
    #expect(text.status == 0, "\(text.standardError)")
    for part in [
      "channels of #1 ReLU (4x8x8)", "channels of #4 ReLU (6x4x4)", "channel  zeros  active pixels  firing",
      "orientation tuning of #1 ReLU (after #0 Conv2d(1, 4, 3x3, padding 1))", "vertical-line units (within 15° of 90°",
      "0 Conv2d(1, 4, 3x3, padding 1)  4x1x3x3",
    ] {
      #expect(text.standardOutput.contains(part), "\(part)")
    }
    #expect(!text.standardOutput.contains("channels of #8"), "the flat ReLU has no channel table")
    let json = try jsonObject(try SparsityExecutable.run(["analyze", model, "--json"]).standardOutput)
    let channels = try #require(json["channels"] as? [[String: Any]])
    #expect(channels.map { $0["index"] as? Int } == [1, 4])
    #expect(channels[0]["shape"] as? [Int] == [4, 8, 8])
    for key in ["zero_fractions", "firing_rates", "dead_channels", "selectivity", "top_inputs", "ranking"] {
      #expect(channels[1][key] != nil, "\(key)")
    }
    #expect((channels[1]["zero_fractions"] as? [Double])?.count == 6)
    let orientation = try #require(json["orientation"] as? [String: Any])
    #expect(orientation["layer_index"] as? Int == 1 && orientation["convolution_index"] as? Int == 0)
    #expect((orientation["units"] as? [Any])?.count == 4 && orientation["vertical_units"] is [Int])
    #expect(orientation["background"] as? Double == 0 && orientation["foreground"] as? Double == 1)
    #expect((json["weights"] as? [[String: Any]])?.first?["shape"] as? [Int] == [4, 1, 3, 3])
    let html = try String(contentsOf: report.appendingPathComponent("index.html"), encoding: .utf8)
    for part in [
      "Channels of layer 1: ReLU (4×8×8)", "Orientation tuning of the first-layer units", "first-layer-filters.png",
      "layer4-feature-maps.png", "<figure class=\"grid\">",
    ] {
      #expect(html.contains(part), "\(part)")
    }
    for file in ["first-layer-filters.png", "layer1-feature-maps.png", "layer4-feature-maps.png"] {
      #expect(FileManager.default.fileExists(atPath: report.appendingPathComponent(file).path), "\(file)")
    }
  }

  /// A model of flat features prints, writes and encodes nothing about channels or orientation.
  @Test func flatModelHasNoChannelOrOrientationOutput() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (model, data) = try writeHandBuiltModel(in: directory)
    let arguments = ["analyze", model, "--data", "csv:\(data)", "--label-column", "0", "--test-fraction", "0.5"]
    let text = try SparsityExecutable.run(arguments)
    #expect(
      text.status == 0 && !text.standardOutput.contains("channels of") && !text.standardOutput.contains("orientation"))
    let json = try jsonObject(try SparsityExecutable.run(arguments + ["--json"]).standardOutput)
    #expect(json["channels"] == nil && json["orientation"] == nil)
  }

  @Test(arguments: [
    (["analyze", "/nonexistent.safetensors"], "nonexistent.safetensors"),
    (["analyze"], "missing MODEL.safetensors"),
  ])
  func badModelExitsWithTwo(arguments: [String], message: String) throws {
    let run = try SparsityExecutable.run(arguments)
    #expect(run.status == 2)
    #expect(run.standardError.contains(message), "\(run.standardError)")
  }

  @Test func badDataAndOptionsExitWithTwoAndNameTheProblem() throws {
    let directory = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (model, data) = try writeHandBuiltModel(in: directory)
    let cases: [([String], String)] = [
      (["--data", "csv:/nonexistent.csv"], "nonexistent.csv"),
      (["--data", "digits"], "takes 2 features but digits has 64"),
      (["--data", "csv:\(data)", "--label-column", "0", "--epsilon", "-1"], "--epsilon"),
      (["--data", "csv:\(data)", "--label-column", "0", "--top", "x"], "--top"),
      (["--data", "csv:\(data)", "--label-column", "0", "--image-shape", "3x3"], "--image-shape"),
      (
        ["--data", "csv:\(data)", "--label-column", "0", "--image-shape", "4294967296x4294967296"],
        "option --image-shape: '4294967296x4294967296' is not ROWSxCOLUMNS"
      ),
      (["--data", "csv:\(data)", "--label-column", "0", "--report", model], "a file of that name exists"),
    ]
    for (extra, message) in cases {
      let run = try SparsityExecutable.run(["analyze", model] + extra)
      #expect(run.status == 2, "\(extra)")
      #expect(run.standardError.contains(message), "\(extra): \(run.standardError)")
    }
    let mismatch = try SparsityExecutable.run(["analyze", model, "--data", "digits"])
    #expect(mismatch.standardError.contains(model))
  }
}
