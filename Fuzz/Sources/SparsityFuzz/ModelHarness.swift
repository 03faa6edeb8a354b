// Model files: SafetensorsFile.decode, then ModelFile.decode (architecture JSON, shapes, record).

import Foundation
import SparsityCore
import SparsityIO
import SparsityNN

/// `ModelFile.decode` of a safetensors file: the network's parameters are the file's tensors,
/// all finite; saving the model and reading it back gives the same parameters and record.
enum ModelHarness: Harness {
  static let maximumLength = 8192
  static let entryPoints = "SafetensorsFile.decode, then ModelFile.decode (architecture and record JSON)"

  static func run(_ data: Data) -> Bool {
    guard let contents = try? SafetensorsFile.decode(data, file: "fuzz.safetensors"),
      let model = try? ModelFile.decode(contents, file: "fuzz.safetensors")
    else { return false }
    let parameters = ModelFile.stateDictionary(of: model.network)
    precondition(sameTensors(parameters, contents.tensors), "the network's parameters are not the file's tensors")
    precondition(parameters.values.allSatisfy { $0.scalars.allSatisfy(\.isFinite) }, "a non-finite parameter")
    let saved = mustDecode("ModelFile.safetensors") { () throws(ModelFileError) in
      try model.safetensors(file: "again.safetensors")
    }
    let again = mustDecode("ModelFile written back") { () throws(ModelFileError) in
      try ModelFile.decode(saved, file: "again.safetensors")
    }
    precondition(again.record == model.record, "model record round trip differs")
    precondition(sameTensors(ModelFile.stateDictionary(of: again.network), parameters), "parameters round trip")
    return true
  }

  /// True when both hold the same names with the same shapes and bits.
  static func sameTensors(_ a: [String: Tensor], _ b: [String: Tensor]) -> Bool {
    a.count == b.count
      && a.allSatisfy { name, tensor in
        b[name].map { $0.shape == tensor.shape && sameBits($0.scalars, tensor.scalars) } ?? false
      }
  }

  static var seeds: [String: Data] {
    let architecture = ModelArchitecture(
      inputFeatures: 3,
      layers: [
        .linear(outputFeatures: 2), .leakyReLU(negativeSlope: 0.1), .dropout(probability: 0.2),
        .linear(outputFeatures: 2, bias: false), .topK(k: 1), .sigmoid,
      ])
    let network = architecture.makeSequential(seed: 7)
    var settings = TrainingSettings()
    settings.epochs = 1
    settings.pruning = PruningSettings(sparsity: 0.5, endEpoch: 1)
    // One epoch of history, as a training run records it (the memberwise initializers are internal).
    let history = try? StrictJSONDecoder.decode(
      [EpochReport].self,
      from: #"[{"epoch":1,"learning_rate":0.001,"train_loss":0.5,"penalty":0.01,"train_accuracy":0.9,"#
        + #""validation_loss":0.6,"validation_accuracy":0.8,"seconds":0.1,"samples_per_second":1000,"#
        + #""layers":[{"index":1,"name":"ReLU","units":2,"activation_sparsity":0.5,"dead_units":1,"#
        + #""dead_unit_indices":[1],"weight_sparsity":null,"small_weight_fraction":null}]}]"#)
    var record = ModelRecord(
      settings: settings,
      data: DataRecord(
        source: .csv(file: "x.csv", labelColumn: 3), testFraction: 0.25, splitSeed: 42,
        scaler: FeatureScaler(scaling: .standardize, offsets: [0.5, -1, 0], scales: [2, 0.25, 1])),
      history: history ?? [])
    record.pruning = PruningRecord(
      sparsity: 0.9, scope: "global", pattern: "unstructured", fineTuneEpochs: 1,
      fineTune: [RecordedSetting(name: "learning_rate", value: "0.001")], weightSparsityBefore: 0,
      weightSparsityAfter: 0.9, accuracyBefore: 0.8, accuracyPruned: nil, accuracyAfter: 0.79)
    let plain = ModelArchitecture(inputFeatures: 2, layers: [.linear(outputFeatures: 1), .relu]).makeSequential(seed: 1)
    // A small convolutional network: Conv2d, BatchNorm2d (running statistics), pooling, a
    // residual block and Flatten in the architecture JSON and the tensors.
    let convolutional = try? ModelArchitecture(
      parsing: "1x6x6,conv:2:3x3:p1,bn,relu,res(conv:2:3x3:p1),maxpool:2,flatten,3"
    ).makeSequential(seed: 2)
    return [
      "convolutional.safetensors": convolutional.flatMap { try? ModelFile(network: $0).safetensors(file: "seed") }?
        .encoded() ?? Data(),
      "recorded.safetensors": (try? ModelFile(network: network, record: record).safetensors(file: "seed"))?.encoded()
        ?? Data(),
      "plain.safetensors": (try? ModelFile(network: plain).safetensors(file: "seed"))?.encoded() ?? Data(),
    ]
  }
}
