// Running a network over a data set in batches and collecting its statistics.

import SparsityCore
import SparsityNN

extension NetworkAnalysis {
  /// Analyses `network` on `features` (samples x inputFeatures) with optional class `labels`.
  ///
  /// Runs the network in evaluation mode (`forward(training: false)`: dropout off) over the
  /// data in batches of `settings.batchSize`, twice: the first pass accumulates counts, sums
  /// and top inputs (per unit, and per channel for image-shaped layers), the second bins the
  /// active values once their range is known. Memory does not grow with the number of samples
  /// beyond the data itself. A network with a convolution is then probed with oriented stimuli
  /// (`OrientationAnalysis`).
  /// - Parameters:
  ///   - network: the network to analyse.
  ///   - features: the inputs, samples x inputFeatures.
  ///   - labels: one class in `0..<classes` per row, or nil (no selectivity then).
  ///   - classes: number of classes (ignored without labels).
  ///   - settings: the batch size, the near-zero threshold, the top inputs kept and the bins.
  /// - Complexity: two forward passes plus O(samples * units * log topInputs), and one forward
  ///   pass of the stimuli for image networks.
  public static func analyze(
    network: Sequential, features: Tensor, labels: [Int]?, classes: Int, settings: Settings = Settings()
  ) -> NetworkAnalysis {
    precondition(
      features.rank == 2 && features.columns == network.inputFeatures,
      "NetworkAnalysis.analyze: features \(features.shape), the network takes \(network.inputFeatures)")
    if let labels {
      precondition(
        labels.count == features.rows, "NetworkAnalysis.analyze: \(features.rows) rows, \(labels.count) labels")
      precondition(
        labels.allSatisfy { (0..<classes).contains($0) }, "NetworkAnalysis.analyze: labels outside 0..<\(classes)")
    }
    let classCount = labels == nil ? 0 : classes
    let layers = network.layers.indices.filter { network.layers[$0].isActivation }
    var input = ActivationAccumulator(
      units: network.inputFeatures, classes: classCount, epsilon: settings.epsilon, topInputs: 0)
    var accumulators = layers.map {
      ActivationAccumulator(
        units: network.features[$0 + 1], classes: classCount, epsilon: settings.epsilon, topInputs: settings.topInputs)
    }
    let shapes = ModelArchitecture(describing: network)?.shapes
    let imageLayers = layers.compactMap { layer in shapes?[layer + 1].image.map { (layer, $0) } }
    var channels = imageLayers.map { _, shape in
      ChannelAccumulator(
        shape: shape, classes: classCount, epsilon: settings.epsilon, ranking: settings.channelRanking,
        topInputs: settings.topInputs)
    }
    forEachBatch(network, features, batchSize: settings.batchSize) { range, outputs in
      input.add(outputs[0], firstInput: range.lowerBound, labels: labels?[range])
      for (k, layer) in layers.enumerated() {
        accumulators[k].add(outputs[layer + 1], firstInput: range.lowerBound, labels: labels?[range])
      }
      for (k, (layer, _)) in imageLayers.enumerated() {
        channels[k].add(outputs[layer + 1], firstInput: range.lowerBound, labels: labels?[range])
      }
    }
    forEachBatch(network, features, batchSize: settings.batchSize) { _, outputs in
      input.addToHistogram(outputs[0], bins: settings.histogramBins)
      for (k, layer) in layers.enumerated() {
        accumulators[k].addToHistogram(outputs[layer + 1], bins: settings.histogramBins)
      }
    }
    let bins = settings.histogramBins
    return NetworkAnalysis(
      samples: features.rows, classes: classCount,
      classCounts: labels.map { counts(of: $0, classes: classCount) } ?? [], settings: settings,
      input: input.result(layerIndex: nil, name: "input", labeled: labels != nil, bins: bins),
      activations: layers.enumerated().map { k, layer in
        accumulators[k].result(
          layerIndex: layer, name: network.layers[layer].description, labeled: labels != nil, bins: bins)
      },
      weights: weightAnalyses(network, epsilon: settings.epsilon, bins: bins),
      channels: imageLayers.enumerated().map { k, entry in
        channels[k].result(
          layerIndex: entry.0, name: network.layers[entry.0].description, labeled: labels != nil)
      },
      orientation: shapes.flatMap {
        OrientationAnalysis.measure(network, shapes: $0, features: features, batchSize: settings.batchSize)
      })
  }

  /// The weight statistics of every layer with a `weight` parameter of rank 2 or more (Linear,
  /// Conv2d; not the rank-1 scales of batch norm).
  static func weightAnalyses(_ network: Sequential, epsilon: Float, bins: Int) -> [WeightAnalysis] {
    network.layers.enumerated().compactMap { index, layer in
      guard let weight = layer.parameters.first(where: { $0.name == "weight" })?.value, weight.rank >= 2 else {
        return nil
      }
      return WeightAnalysis(layerIndex: index, name: layer.description, weight: weight, epsilon: epsilon, bins: bins)
    }
  }

  /// Runs `network` over `features` in batches and hands each batch's row range and the
  /// network's activations (input first) to `body`.
  static func forEachBatch(
    _ network: Sequential, _ features: Tensor, batchSize: Int, _ body: (Range<Int>, [Tensor]) -> Void
  ) {
    for start in stride(from: 0, to: features.rows, by: batchSize) {
      let range = start..<Swift.min(start + batchSize, features.rows)
      network.forward(features.rows(range), training: false)
      body(range, network.activations)
    }
  }

  /// Inputs per class.
  static func counts(of labels: [Int], classes: Int) -> [Int] {
    var counts = [Int](repeating: 0, count: classes)
    for label in labels { counts[label] += 1 }
    return counts
  }
}
