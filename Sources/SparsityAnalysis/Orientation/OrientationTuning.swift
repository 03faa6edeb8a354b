// Which orientation each unit prefers and how sharply: responses to oriented gratings and bars.

import SparsityCore
import SparsityNN

/// The orientation tuning of the units of one layer, measured with `OrientedStimuli`.
///
/// A unit of an image-shaped layer is a channel, whose response to a stimulus is its largest
/// value over the pixels (so position does not matter); a unit of a flat layer is one feature.
/// The tuning curve R(θ) is the largest response over the stimuli at orientation θ (every
/// grating period and phase, every bar offset), less the unit's response to a blank image at
/// the background level (its spontaneous response, which a bias alone produces), at least 0.
/// From it:
///
/// - the preferred orientation θ* = argmax R (the first on ties);
/// - the orientation-selectivity index OSI = (R(θ*) - R(θ* + 90°)) / (R(θ*) + R(θ* + 90°)) in
///   [0, 1] for non-negative responses: 1 when the orthogonal orientation leaves the unit silent,
///   0 when it responds equally (nil for a unit that never responds, R(θ*) <= 0).
///
/// Reference: D. H. Hubel and T. N. Wiesel, "Receptive fields of single neurones in the cat's
/// striate cortex", J. Physiol. 148, 1959; the OSI as in D. L. Ringach, R. M. Shapley and
/// M. J. Hawken, "Orientation selectivity in macaque V1", J. Neurosci. 22, 2002.
public struct OrientationTuning: Sendable, Equatable {
  /// The probed layer's index in the network.
  public var layerIndex: Int
  /// The probed layer, e.g. `ReLU`.
  public var layerName: String
  /// The orientations, degrees in [0, 180) (0 horizontal, 90 vertical).
  public var angles: [Double]
  /// One entry per unit.
  public var units: [Unit]

  /// One unit's tuning.
  public struct Unit: Sendable, Equatable {
    /// The tuning curve: the largest response at each of `angles`.
    public var curve: [Float]
    /// The orientation of the largest response, degrees; nil when the unit never responds.
    public var preferredAngle: Double?
    /// (R(pref) - R(orth)) / (R(pref) + R(orth)); nil when the unit never responds.
    public var selectivity: Double?
  }

  /// How close to 90° a preferred orientation must be, and how selective, to count as a
  /// vertical-line unit: within half the angle step (rounded up to 15°) and OSI above 0.5.
  public func verticalUnits(minimumSelectivity: Double = 0.5) -> [Int] {
    units.indices.filter { index in
      guard let angle = units[index].preferredAngle, let osi = units[index].selectivity else { return false }
      return abs(angle - 90) <= verticalTolerance && osi > minimumSelectivity
    }
  }

  /// How far from 90°, in degrees, a vertical-line unit's preferred orientation may be:
  /// 90 / (angles / 2), at least 15.
  public var verticalTolerance: Double { Swift.max(15, 90 / Double(Swift.max(1, angles.count / 2))) }

  /// The units with OSI above `minimumSelectivity`.
  public func selectiveUnits(minimumSelectivity: Double = 0.5) -> [Int] {
    units.indices.filter { (units[$0].selectivity ?? 0) > minimumSelectivity }
  }

  /// Probes the output of `layerIndex` of `network`, whose samples are `shape` images, with
  /// `stimuli` mapped to [low, high] (the model's background and foreground input values).
  /// `outputShape` is the layer's output image (nil for flat features: one unit per feature).
  /// - Complexity: one forward pass of the stimuli, in batches of `batchSize`.
  public static func measure(
    _ network: Sequential, layerIndex: Int, outputShape: ImageShape?, stimuli: OrientedStimuli,
    low: Float = 0, high: Float = 1, batchSize: Int = 256
  ) -> OrientationTuning {
    precondition(
      network.inputFeatures == stimuli.shape.featureCount,
      "OrientationTuning: stimuli of \(stimuli.shape) for \(network.inputFeatures) inputs")
    precondition(layerIndex >= 0 && layerIndex < network.layers.count, "OrientationTuning: layer \(layerIndex)")
    let features = network.features[layerIndex + 1]
    precondition(outputShape == nil || outputShape!.featureCount == features, "OrientationTuning: output shape")
    let unitCount = outputShape?.channels ?? features
    let pixels = outputShape?.pixelCount ?? 1
    var curves = [[Float]](repeating: [Float](repeating: -.infinity, count: stimuli.angles.count), count: unitCount)
    let images = stimuli.images(low: low, high: high)
    // The spontaneous response: each unit on a blank image at the background level.
    network.forward(Tensor(repeating: low, shape: [1, stimuli.shape.featureCount]), training: false)
    let blank = network.activations[layerIndex + 1]
    let baseline = (0..<unitCount).map { unit in
      (0..<pixels).reduce(-Float.infinity) { Swift.max($0, blank.scalars[unit * pixels + $1]) }
    }
    for start in stride(from: 0, to: images.rows, by: batchSize) {
      let rows = start..<Swift.min(images.rows, start + batchSize)
      network.forward(images.rows(rows), training: false)
      let output = network.activations[layerIndex + 1]
      for (local, row) in rows.enumerated() {
        let angle = stimuli.orientationIndex[row]
        for unit in 0..<unitCount {
          var response = -Float.infinity
          let base = local * features + unit * pixels
          for p in 0..<pixels { response = Swift.max(response, output.scalars[base + p]) }
          curves[unit][angle] = Swift.max(curves[unit][angle], Swift.max(0, response - baseline[unit]))
        }
      }
    }
    return OrientationTuning(
      layerIndex: layerIndex, layerName: network.layers[layerIndex].description, angles: stimuli.angles,
      units: curves.map { unit(curve: $0, angles: stimuli.angles) })
  }

  /// A unit's preferred angle and OSI from its curve.
  static func unit(curve: [Float], angles: [Double]) -> Unit {
    guard let best = curve.indices.max(by: { curve[$0] < curve[$1] || (curve[$0] == curve[$1] && $0 > $1) }),
      curve[best] > 0
    else { return Unit(curve: curve, preferredAngle: nil, selectivity: nil) }
    let orthogonal = curve[(best + angles.count / 2) % angles.count]
    let (preferred, orth) = (Double(curve[best]), Double(Swift.max(0, orthogonal)))
    return Unit(curve: curve, preferredAngle: angles[best], selectivity: (preferred - orth) / (preferred + orth))
  }
}
