// A downstream user of Sparsity: train a small sparse network on the embedded digits, compile it
// for inference and check that the compiled model computes what the network computes.
//
// Exit status 0 when every compiled logit is within the float-rounding bound of the dense one
// (see SparsityInference.ForwardErrorBound), 1 otherwise.

import Foundation
import SparsityCore
import SparsityIO
import SparsityInference
import SparsityNN

/// The embedded digits scaled to [0, 1], split 80/10/10 into train, validation and test (seeded).
func digits() throws -> (train: LabeledDataset, validation: LabeledDataset, test: LabeledDataset) {
  let all = try DigitsDataset.load()
  let (rest, test) = all.split(testFraction: 0.1, seed: 0, stratified: true)
  let (train, validation) = rest.split(testFraction: 1.0 / 9, seed: 1, stratified: true)
  let scaler = FeatureScaler(fitting: .fixedRange(maximum: DigitsDataset.maximumPixelValue), to: train)
  return (scaler.apply(to: train), scaler.apply(to: validation), scaler.apply(to: test))
}

/// 64-128-ReLU-10 trained with Adam for 8 epochs, an L1 penalty on the ReLU outputs and gradual
/// magnitude pruning of the weights to 80% over the first 5 epochs.
func trainedNetwork(train: LabeledDataset, validation: LabeledDataset) -> Sequential {
  var generator = Xoshiro256StarStar(seed: 0)
  let network = Sequential(
    inputFeatures: train.featureCount,
    [Linear(train.featureCount, 128, using: &generator), ReLU(), Linear(128, train.classCount, using: &generator)])
  var settings = TrainingSettings()
  settings.epochs = 8
  settings.learningRate = 3e-3
  settings.activationL1 = 1e-4
  settings.pruning = PruningSettings(sparsity: 0.8, endEpoch: 5)
  _ = Trainer(model: network, settings: settings).fit(train: train, validation: validation)
  return network
}

let data = try digits()
let network = trainedNetwork(train: data.train, validation: data.validation)
let accuracy = Evaluation.of(network, features: data.test.features, labels: data.test.labels).accuracy
print(String(format: "test accuracy %.2f%% (%d samples)", accuracy * 100, data.test.sampleCount))
for layer in NetworkSparsity.measure(network, features: data.test.features) {
  if let weights = layer.weightSparsity {
    print(String(format: "  %@: %.1f%% zero weights", layer.name, weights * 100))
  }
  if let activations = layer.activationSparsity {
    print(String(format: "  %@: %.1f%% zero outputs", layer.name, activations * 100))
  }
}

/// Compiles `network` with `planner` (calibrated on `calibration`), prints the kernels chosen and
/// checks the compiled outputs on `test` against the network's own; true when within the bound.
func compileAndCheck(_ title: String, _ network: Sequential, planner: Planner, calibration: Tensor, test: Tensor)
  -> Bool
{
  let plan = planner.plan(network, calibration: calibration, batch: 64)
  let compiled = CompiledModel(network, plan: plan)
  print("\(title): weights \(compiled.storedWeightBytes) bytes")
  for layer in plan.layers { print("  layer \(layer.layerIndex): \(layer.kernel.name) (\(layer.reason))") }
  let dense = network.forward(test, training: false)
  let check = ForwardErrorBound.compare(compiled.predict(test), dense, network: network, input: test)
  print(
    String(
      format: "  vs dense: max |difference| %.2e, at most %.3f of the rounding bound", check.maximumDifference,
      check.worstRatio))
  return check.worstRatio <= 1
}

var sparsePlanner = Planner()
sparsePlanner.margin = 0  // the fastest zero-skipping kernel even when dense is faster: exercises them
let passed = [
  compileAndCheck(
    "compiled as planned (timed, batch 64)", network, planner: Planner(), calibration: data.train.features,
    test: data.test.features),
  compileAndCheck(
    "compiled with zero-skipping kernels only", network, planner: sparsePlanner, calibration: data.train.features,
    test: data.test.features),
]
if passed.contains(false) {
  print("FAIL: a compiled model's outputs differ from the network's by more than float rounding allows")
  exit(1)
}
print("OK: compiled outputs equal the dense network's within the rounding bound")
