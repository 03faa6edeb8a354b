// The `--json` document of `sparsity analyze`: every number of the analysis.

import SparsityAnalysis
import SparsityCore
import SparsityExperiments
import SparsityIO

enum AnalyzeJSON {
  /// The whole analysis: data, settings, input, activation layers and weights.
  static func document(_ subject: AnalyzeSubject) -> JSONValue {
    let analysis = subject.analysis
    let labels = subject.data.dataset.labels
    return .object([
      ("model", .string(subject.path)), ("data", .string(subject.data.source.description)), ("split", .string("test")),
      ("samples", .integer(analysis.samples)), ("classes", .integer(analysis.classes)),
      ("class_counts", integers(analysis.classCounts)), ("epsilon", .float(analysis.settings.epsilon)),
      ("top_inputs", .integer(analysis.settings.topInputs)),
      ("image_shape", subject.data.imageShape.map { .array([.integer($0.rows), .integer($0.columns)]) } ?? .null),
      ("input", activation(analysis.input, labels: labels)),
      ("activations", .array(analysis.activations.map { activation($0, labels: labels) })),
      ("weights", .array(analysis.weights.map(weight))),
    ])
  }

  /// One activation layer (or the input); `labels` gives the class of each top input.
  static func activation(_ layer: ActivationAnalysis, labels: [Int]) -> JSONValue {
    let l0 = layer.activeUnitsPerInput
    return .object([
      ("index", layer.layerIndex.map { .integer($0) } ?? .null), ("name", .string(layer.name)),
      ("units", .integer(layer.units)),
      ("zero_fraction", .double(layer.zeroFraction)), ("near_zero_fraction", .double(layer.nearZeroFraction)),
      (
        "active_units_per_input",
        .object([
          ("mean", .double(l0.mean)), ("median", .double(l0.median)), ("minimum", .integer(l0.minimum)),
          ("maximum", .integer(l0.maximum)), ("frequencies", integers(l0.frequencies)),
        ])
      ),
      ("firing_rates", doubles(layer.firingRates)), ("mean_activations", doubles(layer.meanActivations)),
      ("dead_units", integers(layer.deadUnits)), ("always_on_units", integers(layer.alwaysOnUnits)),
      ("mean_selectivity", layer.meanSelectivity.map { .double($0) } ?? .null),
      ("selectivity", .array(layer.selectivity.map { $0.index.map { .double($0) } ?? .null })),
      ("preferred_class", .array(layer.selectivity.map { $0.preferredClass.map { .integer($0) } ?? .null })),
      ("class_means", .array(layer.classMeans.map { .array($0.map { $0.map { .double($0) } ?? .null }) })),
      (
        "top_inputs",
        .array(
          layer.topInputs.map { entries in
            .array(
              entries.map {
                .object([
                  ("input", .integer($0.input)), ("value", .float($0.value)), ("label", .integer(labels[$0.input])),
                ])
              })
          })
      ),
      ("value_histogram", histogram(layer.valueHistogram)),
    ])
  }

  /// One weight matrix.
  static func weight(_ w: WeightAnalysis) -> JSONValue {
    .object([
      ("index", .integer(w.layerIndex)), ("name", .string(w.name)), ("shape", integers(w.shape)),
      ("zero_fraction", .double(w.zeroFraction)), ("near_zero_fraction", .double(w.nearZeroFraction)),
      ("small_fraction", .double(w.smallFraction)), ("mean_magnitude", .double(w.meanMagnitude)),
      ("maximum_magnitude", .double(w.maximumMagnitude)), ("zero_rows", integers(w.zeroRows)),
      ("magnitude_histogram", histogram(w.magnitudeHistogram)),
    ])
  }

  /// Scale, bin edges, counts and the values outside every bin.
  static func histogram(_ h: ValueHistogram) -> JSONValue {
    .object([
      ("scale", .string(h.scale == .linear ? "linear" : "log10")), ("edges", doubles(h.edges)),
      ("counts", integers(h.counts)), ("outside", .integer(h.outside)),
    ])
  }

  static func integers(_ values: [Int]) -> JSONValue { .array(values.map { .integer($0) }) }
  static func doubles(_ values: [Double]) -> JSONValue { .array(values.map { .double($0) }) }
}
