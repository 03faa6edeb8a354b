import SparsityCore
import Testing

@testable import SparsityNN

/// A layer no architecture spec describes.
private final class Doubling: Layer {
  var description: String { "Doubling" }
  func outputFeatures(inputFeatures: Int) -> Int { inputFeatures }
  func forward(_ input: Tensor, into output: inout Tensor, training: Bool) {}
  func backward(
    input: Tensor, output: Tensor, outputGradient: Tensor, inputGradient: inout Tensor, needsInputGradient: Bool
  ) {}
}

/// The error `text` raises when parsed as the compact form, or nil.
private func parsingError(_ text: String) -> ModelArchitectureError? {
  do {
    _ = try ModelArchitecture(parsing: text)
    return nil
  } catch { return error }
}

/// The error `json` raises when decoded, or nil.
private func decodingError(_ json: String) -> ModelArchitectureError? {
  do {
    _ = try ModelArchitecture(json: json)
    return nil
  } catch { return error }
}

@Suite struct ModelArchitectureTests {
  @Test func parsesTheCompactForm() throws {
    let mlp = try ModelArchitecture(parsing: "784-256-relu-128-relu-10")
    #expect(
      mlp
        == ModelArchitecture(
          inputFeatures: 784,
          layers: [
            .linear(outputFeatures: 256), .relu, .linear(outputFeatures: 128), .relu, .linear(outputFeatures: 10),
          ]))
    #expect(mlp.features == [784, 256, 256, 128, 128, 10])
    #expect(mlp.outputFeatures == 10)
    #expect(try ModelArchitecture(parsing: " 784 - 256 - ReLU - 10 ") == ModelArchitecture(parsing: "784-256-relu-10"))
  }

  @Test func compactFormCoversEveryLayerAndRoundTrips() throws {
    let all = try ModelArchitecture(parsing: "10-8:nobias-leaky_relu-leaky_relu:0.2-sigmoid-topk:3-dropout:0.25-4")
    #expect(
      all.layers == [
        .linear(outputFeatures: 8, bias: false), .leakyReLU(negativeSlope: 0.01), .leakyReLU(negativeSlope: 0.2),
        .sigmoid, .topK(k: 3), .dropout(probability: 0.25), .linear(outputFeatures: 4),
      ])
    #expect(all.description == "10-8:nobias-leaky_relu:0.01-leaky_relu:0.2-sigmoid-topk:3-dropout:0.25-4")
    #expect(try ModelArchitecture(parsing: all.description) == all)
    #expect(ModelArchitecture(all.description) == all)
    #expect(ModelArchitecture("not-an-architecture") == nil)
  }

  @Test func compactFormErrorsNameTheTextAndTheToken() {
    let cases: [(String, String)] = [
      ("", "must start with the input features"), ("abc-10", "must start with the input features"),
      ("0-10", "must start with the input features"), ("784", "no layers"), ("784-relu6", "'relu6' is not a layer"),
      ("784-0", "'0': a layer size must be positive"), ("784-topk", "'topk' needs a value"),
      ("784-dropout:1", "'dropout:1': the probability must be in [0, 1)"),
      ("784-relu:2", "'relu:2': relu takes no value"),
      ("784-10:bias", "only option"), ("784--10", "'' is not a layer"), ("784-topk:0", "k must be a positive integer"),
      ("784-leaky_relu:inf", "slope must be a finite number"),
      ("784-leaky-relu-10", "LeakyReLU is spelled leaky_relu"), ("784-leakyrelu:0.2-10", "spelled leaky_relu"),
    ]
    for (text, fragment) in cases {
      let error = parsingError(text)
      #expect(error?.text == text)
      #expect(error?.description.hasPrefix("invalid architecture '\(text)': ") == true)
      #expect(error?.detail.contains(fragment) == true, "\(text): \(String(describing: error))")
    }
  }

  @Test func tensorShapesFollowPyTorchSequentialNumbering() throws {
    let architecture = try ModelArchitecture(parsing: "784-256-relu-dropout:0.5-128:nobias-relu-10")
    let shapes = architecture.tensorShapes
    #expect(shapes.map(\.name) == ["0.weight", "0.bias", "3.weight", "5.weight", "5.bias"])
    #expect(shapes.map(\.shape) == [[256, 784], [256], [128, 256], [10, 128], [10]])
  }

  @Test func describesAndBuildsNetworks() throws {
    var generator = Xoshiro256StarStar(seed: 3)
    let network = Sequential(
      inputFeatures: 6,
      [
        Linear(6, 5, using: &generator), LeakyReLU(negativeSlope: 0.1), Dropout(probability: 0.2, seed: 1),
        Linear(5, 4, bias: false, using: &generator), Sigmoid(), TopK(k: 2), ReLU(), Linear(4, 3, using: &generator),
      ])
    let architecture = try #require(ModelArchitecture(describing: network))
    #expect(architecture.description == "6-5-leaky_relu:0.1-dropout:0.2-4:nobias-sigmoid-topk:2-relu-3")
    let rebuilt = architecture.makeSequential(seed: 9)
    #expect(ModelArchitecture(describing: rebuilt) == architecture)
    #expect(rebuilt.features == network.features)
    let again = architecture.makeSequential(seed: 9)
    #expect(rebuilt.parameters.map(\.value) == again.parameters.map(\.value))
    #expect(architecture.makeSequential(seed: 10).parameters[0].value != rebuilt.parameters[0].value)
  }

  @Test func unsupportedLayersHaveNoDescription() {
    var generator = Xoshiro256StarStar(seed: 3)
    let network = Sequential(inputFeatures: 2, [Linear(2, 2, using: &generator), Doubling()])
    #expect(ModelArchitecture(describing: network) == nil)
    #expect(ModelArchitecture.unsupportedLayerIndex(in: network) == 1)
  }

  @Test func jsonRoundTripsAndSpellsPyTorchSettings() throws {
    let architecture = try ModelArchitecture(parsing: "4-3:nobias-leaky_relu:0.5-topk:2-dropout:0.1-sigmoid-relu-2")
    #expect(try ModelArchitecture(json: architecture.json) == architecture)
    let small = try ModelArchitecture(parsing: "4-3-relu")
    #expect(
      small.json
        == #"{"input_features":4,"layers":[{"kind":"linear","bias":true,"in_features":4,"out_features":3},{"kind":"relu"}]}"#
    )
    let minimal = #"{"input_features":4,"layers":[{"kind":"linear","out_features":3},{"kind":"leaky_relu"}]}"#
    #expect(try ModelArchitecture(json: minimal) == ModelArchitecture(parsing: "4-3-leaky_relu:0.01"))
  }

  @Test func jsonErrorsSayWhatIsWrong() {
    let cases: [(String, String)] = [
      ("{", "not valid JSON"), (#"{"layers":[]}"#, "missing key \"input_features\""),
      (#"{"input_features":"4","layers":[]}"#, "at input_features: expected an integer, found string"),
      (#"{"input_features":4,"layers":[{"kind":"conv"}]}"#, "layer 0 (conv): unknown kind"),
      (#"{"input_features":4,"layers":[{"kind":"linear"}]}"#, "layer 0 (linear): missing out_features"),
      (
        #"{"input_features":4,"layers":[{"kind":"relu"},{"kind":"linear","in_features":5,"out_features":2}]}"#,
        "layer 1 (linear): in_features is 5 but 4 features reach it"
      ),
      (#"{"input_features":4,"layers":[{"kind":"topk","k":-1}]}"#, "topk k must be positive"),
      (#"{"input_features":4,"layers":[{"kind":"dropout"}]}"#, "missing p"),
      (#"{"input_features":0,"layers":[]}"#, "input features must be positive"),
    ]
    for (json, fragment) in cases {
      let error = decodingError(json)
      #expect(error?.text == json)
      #expect(error?.detail.contains(fragment) == true, "\(json): \(String(describing: error))")
    }
  }
}
