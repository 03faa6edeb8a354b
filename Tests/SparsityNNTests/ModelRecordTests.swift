import Foundation
import SparsityCore
import SparsityIO
import Testing

@testable import SparsityNN

@Suite struct ModelRecordTests {
  static func record() -> ModelRecord {
    var settings = TrainingSettings()
    settings.epochs = 2
    settings.activationL1 = 1e-3
    settings.pruning = PruningSettings(sparsity: 0.5, endEpoch: 2)
    let layer = LayerSparsity(
      index: 1, name: "ReLU", units: 4, activationSparsity: 0.5, deadUnits: [2], weightSparsity: nil,
      smallWeightFraction: nil)
    let epoch = EpochReport(
      epoch: 1, learningRate: 1e-3, trainLoss: 0.5, penalty: 0.01, trainAccuracy: 0.9, validationLoss: 0.6,
      validationAccuracy: 0.8, layers: [layer], trainingSeconds: 0.1, samplesPerSecond: 1000)
    let scaler = FeatureScaler(scaling: .standardize, offsets: [0.5, -1], scales: [2, 0.25])
    var record = ModelRecord(
      settings: settings,
      data: DataRecord(
        source: .csv(file: "x.csv", labelColumn: 3), testFraction: 0.25, splitSeed: UInt64.max, scaler: scaler),
      history: [epoch])
    record.pruning = PruningRecord(
      sparsity: 0.9, scope: "global", pattern: "unstructured", fineTuneEpochs: 1,
      fineTune: [RecordedSetting(name: "learning_rate", value: "0.001")], weightSparsityBefore: 0,
      weightSparsityAfter: 0.9, accuracyBefore: 0.8, accuracyPruned: nil, accuracyAfter: 0.79)
    return record
  }

  @Test func roundTripsThroughAModelFile() throws {
    let network = ModelArchitecture(inputFeatures: 2, layers: [.linear(outputFeatures: 4), .relu]).makeSequential(
      seed: 1)
    let record = Self.record()
    let contents = try ModelFile(network: network, record: record).safetensors(file: "m.safetensors")
    let read = try ModelFile.decode(contents, file: "m.safetensors")
    #expect(read.record == record)
    #expect(contents.metadata["training"]!.contains(#""split_seed":"18446744073709551615""#))
    #expect(contents.metadata["training"]!.contains(#""gradual_pruning":"0.5 global unstructured"#))
  }

  @Test func olderFilesKeepTheGradualPruningSettingUnderPruning() throws {
    let training = #"{"epochs":"2","pruning":"0.5 global unstructured, epochs 1-2, every 10 steps"}"#
    let record = try StrictJSONDecoder.decode(ModelRecord.self, from: training)
    #expect(record.settings.map(\.name) == ["epochs", "pruning"] && record.pruning == nil)
  }

  @Test func aFileWithoutARecordReadsAsEmpty() throws {
    let network = ModelArchitecture(inputFeatures: 2, layers: [.linear(outputFeatures: 1)]).makeSequential(seed: 1)
    let contents = try ModelFile(network: network).safetensors(file: "m.safetensors")
    #expect(contents.metadata["training"] == nil && contents.metadata["history"] == nil)
    #expect(try ModelFile.decode(contents, file: "m.safetensors").record == ModelRecord())
  }

  @Test func anUnreadableRecordIsAnErrorNamingTheFile() throws {
    let network = ModelArchitecture(inputFeatures: 2, layers: [.linear(outputFeatures: 1)]).makeSequential(seed: 1)
    var contents = try ModelFile(network: network, record: Self.record()).safetensors(file: "m.safetensors")
    let cases = [
      ("training", #"{"data":"digits","test_fraction":1.5,"split_seed":"0","scaling":null}"#, "test_fraction"),
      ("training", #"{"data":"digits","test_fraction":0.2,"split_seed":"-1","scaling":null}"#, "split_seed"),
      ("training", #"{"data":"digits","test_fraction":0.2,"split_seed":"0"}"#, "missing key \"scaling\""),
      (
        "training",
        #"{"data":"digits","test_fraction":0.2,"split_seed":"0","scaling":{"kind":"unit-range","offsets":[0],"scales":[]}}"#,
        "offsets as scales"
      ),
      ("training", #"{"epochs":3}"#, "expected a string"),
      ("history", #"[{"epoch":1}]"#, "at [0]: missing key"),
      ("history", "not json", "not valid JSON"),
    ]
    for (key, text, expected) in cases {
      contents.metadata[key] = text
      do {
        _ = try ModelFile.decode(contents, file: "m.safetensors")
        Issue.record("\(text) was accepted")
      } catch {
        #expect(error.description.hasPrefix("m.safetensors: invalid \(key) metadata"), "\(error)")
        #expect(error.description.contains(expected), "\(error)")
      }
      contents = try ModelFile(network: network, record: Self.record()).safetensors(file: "m.safetensors")
    }
  }
}
