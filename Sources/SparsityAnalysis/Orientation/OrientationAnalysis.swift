// The orientation tuning of a convolutional network's first-layer units, probed at the data's levels.

import SparsityCore
import SparsityNN

/// Which orientations the first convolution's units prefer, measured with `OrientedStimuli`
/// drawn in the data's own background and foreground values.
///
/// The probed layer is the first activation layer (`Layer.isActivation`) after the network's
/// first top-level `Conv2d`, with only image layers between them (batch norm, pooling): one unit
/// per filter, whose response is its channel's largest value (`OrientationTuning`).
///
/// Stimuli are made in [0, 1] and mapped to [background, foreground], the 1st and 99th
/// percentiles of the analysed inputs' values pooled over samples and features, so that a bar
/// or grating looks like the data's strokes on the data's background whatever the scaling
/// (unit scaling of digits gives about 0 and 1; standardized data gives the negative background
/// and the bright strokes). Percentiles rather than the extremes keep a few outlying pixels from
/// setting the contrast. When the two coincide (nearly constant data), the foreground is the
/// background plus 1.
public struct OrientationAnalysis: Sendable, Equatable {
  /// Index of the first `Conv2d`.
  public var convolutionIndex: Int
  /// Its description, e.g. `Conv2d(1, 8, 3x3, padding 1)`.
  public var convolutionName: String
  /// The stimuli's background value: the 1st percentile of the input values.
  public var background: Float
  /// The stimuli's foreground value: the 99th percentile of the input values.
  public var foreground: Float
  /// Stimuli shown (gratings and bars at every orientation).
  public var stimuli: Int
  /// Each unit's tuning curve, preferred orientation and OSI.
  public var tuning: OrientationTuning

  /// An analysis from its parts.
  public init(
    convolutionIndex: Int, convolutionName: String, background: Float, foreground: Float, stimuli: Int,
    tuning: OrientationTuning
  ) {
    self.convolutionIndex = convolutionIndex
    self.convolutionName = convolutionName
    self.background = background
    self.foreground = foreground
    self.stimuli = stimuli
    self.tuning = tuning
  }

  /// The layer probed: the first top-level `Conv2d`, the first activation after it, and the
  /// network's input and that activation's output images; nil when the network has no
  /// convolution followed by an activation before its samples stop being images.
  /// - Parameters:
  ///   - network: the network whose first-layer units are probed.
  ///   - shapes: the sample after each layer, `ModelArchitecture.shapes`.
  public static func probedLayer(of network: Sequential, shapes: [ModelArchitecture.SampleShape]) -> (
    convolution: Int, activation: Int, input: ImageShape, output: ImageShape
  )? {
    precondition(shapes.count == network.layers.count + 1, "OrientationAnalysis: one shape per layer and the input")
    guard let input = shapes[0].image, let convolution = network.layers.firstIndex(where: { $0 is Conv2d }) else {
      return nil
    }
    for index in (convolution + 1)..<network.layers.count {
      guard let output = shapes[index + 1].image else { return nil }
      if network.layers[index].isActivation { return (convolution, index, input, output) }
    }
    return nil
  }

  /// Probes the first-layer units of `network` (see `probedLayer`) with stimuli at
  /// `orientations` angles in the levels of `features` (samples x input features); nil when
  /// there is no such layer.
  /// - Complexity: sorting at most 2^20 input values, and one forward pass of the stimuli.
  public static func measure(
    _ network: Sequential, shapes: [ModelArchitecture.SampleShape], features: Tensor, orientations: Int = 12,
    batchSize: Int = 256
  ) -> OrientationAnalysis? {
    guard let probed = probedLayer(of: network, shapes: shapes) else { return nil }
    let (background, foreground) = levels(of: features)
    let stimuli = OrientedStimuli(shape: probed.input, orientations: orientations)
    let tuning = OrientationTuning.measure(
      network, layerIndex: probed.activation, outputShape: probed.output, stimuli: stimuli, low: background,
      high: foreground, batchSize: batchSize)
    return OrientationAnalysis(
      convolutionIndex: probed.convolution, convolutionName: network.layers[probed.convolution].description,
      background: background, foreground: foreground,
      stimuli: stimuli.images.rows, tuning: tuning)
  }

  /// The background and foreground levels: the `lower` and `upper` quantiles of the finite
  /// values of `features` (of the m sorted values, the one at rank round(q (m - 1)); every k-th
  /// value taken, k chosen to keep at most 2^20). The foreground is the background plus 1 when
  /// they are not apart; (0, 1) without finite values.
  /// - Complexity: O(m log m), m <= 2^20.
  public static func levels(of features: Tensor, lower: Double = 0.01, upper: Double = 0.99) -> (Float, Float) {
    precondition(0 <= lower && lower <= upper && upper <= 1, "OrientationAnalysis.levels: quantiles \(lower), \(upper)")
    let stride = Swift.max(1, (features.count + (1 << 20) - 1) >> 20)
    let values = Swift.stride(from: 0, to: features.count, by: stride).map { features.scalars[$0] }.filter(\.isFinite)
      .sorted()
    guard !values.isEmpty else { return (0, 1) }
    func quantile(_ q: Double) -> Float {
      values[Swift.min(values.count - 1, Int((q * Double(values.count - 1)).rounded()))]
    }
    let (low, high) = (quantile(lower), quantile(upper))
    return high > low ? (low, high) : (low, low + 1)
  }
}
