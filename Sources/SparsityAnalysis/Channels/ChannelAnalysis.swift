// What each channel of an image-shaped activation layer does on a data set.

import SparsityCore

/// Activation statistics of one image-shaped layer (NCHW), aggregated per channel.
///
/// The layer's output for one input is C channels of P = rows x columns pixels. With a one of
/// those values, n inputs and epsilon the near-zero threshold, per channel k:
/// - `zeroFractions[k]`: fraction of its n * P values with a == 0 (its activation sparsity);
///   `activePixelFractions[k]`: fraction with |a| > epsilon;
/// - the channel is *active* on an input when |a| > epsilon on at least one of its pixels:
///   `firingRates[k]` is the fraction of inputs on which it is active, `deadChannels` are those
///   active on no pixel of any input (firing rate 0), `alwaysOnChannels` those active on every
///   input (firing rate 1);
/// - with m_k(x) the channel's spatial mean on input x (the mean of its P values),
///   `meanActivations[k]` is the mean of m_k over the inputs and `classMeans[k][c]` the mean of
///   max(m_k, 0) over the inputs of class c (nil for a class without inputs), from which
///   `selectivity[k]` follows: `ClassSelectivity`, the per-unit formula on the spatial means;
/// - `topInputs[k]`: among the inputs on which the channel is active, those with the largest
///   `ranking` value (its largest pixel or its spatial mean), strongest first.
///
/// `ActivationAnalysis` of the same layer treats every (channel, pixel) as a unit; this is the
/// view of a convolution's filters, each of which is one channel.
public struct ChannelAnalysis: Sendable, Equatable {
  /// What ranks the inputs of a channel for `topInputs`.
  public enum Ranking: Sendable, Equatable {
    /// The channel's largest value over its pixels: the strongest single response.
    case maximum
    /// The channel's spatial mean: how much of the image drives it.
    case mean
  }

  /// Index of the layer in its `Sequential`.
  public var layerIndex: Int
  /// The layer's description (`ReLU`, ...).
  public var name: String
  /// The layer's output image: channels x rows x columns.
  public var shape: ImageShape
  /// Inputs analysed.
  public var samples: Int
  /// The near-zero threshold.
  public var epsilon: Float
  /// What ranks the top inputs.
  public var ranking: Ranking
  /// Per channel: fraction of its values (inputs x pixels) exactly zero.
  public var zeroFractions: [Double]
  /// Per channel: fraction of its values with |a| > epsilon.
  public var activePixelFractions: [Double]
  /// Per channel: fraction of inputs on which it is active on at least one pixel.
  public var firingRates: [Double]
  /// Per channel: mean over the inputs of its spatial mean.
  public var meanActivations: [Double]
  /// Channels active on no pixel of any input, ascending.
  public var deadChannels: [Int]
  /// Channels active on every input, ascending.
  public var alwaysOnChannels: [Int]
  /// Per channel, per class: mean of max(spatial mean, 0) over that class's inputs; empty
  /// without labels.
  public var classMeans: [[Double?]]
  /// Per channel: class selectivity and preferred class; empty without labels.
  public var selectivity: [ClassSelectivity]
  /// Per channel: the active inputs ranking highest, strongest first; empty for a dead channel.
  public var topInputs: [[TopActivations.Entry]]

  /// An analysis from its parts (`NetworkAnalysis.analyze` computes them from data).
  public init(
    layerIndex: Int, name: String, shape: ImageShape, samples: Int, epsilon: Float, ranking: Ranking,
    zeroFractions: [Double], activePixelFractions: [Double], firingRates: [Double], meanActivations: [Double],
    deadChannels: [Int], alwaysOnChannels: [Int], classMeans: [[Double?]], selectivity: [ClassSelectivity],
    topInputs: [[TopActivations.Entry]]
  ) {
    self.layerIndex = layerIndex
    self.name = name
    self.shape = shape
    self.samples = samples
    self.epsilon = epsilon
    self.ranking = ranking
    self.zeroFractions = zeroFractions
    self.activePixelFractions = activePixelFractions
    self.firingRates = firingRates
    self.meanActivations = meanActivations
    self.deadChannels = deadChannels
    self.alwaysOnChannels = alwaysOnChannels
    self.classMeans = classMeans
    self.selectivity = selectivity
    self.topInputs = topInputs
  }

  /// Channels of the layer.
  public var channels: Int { shape.channels }

  /// Fraction of all the layer's values exactly zero (every channel has as many pixels, so
  /// this is the mean of `zeroFractions`).
  public var zeroFraction: Double {
    zeroFractions.isEmpty ? 0 : zeroFractions.reduce(0, +) / Double(zeroFractions.count)
  }

  /// The mean selectivity index over the channels where it is defined and whose firing rate is
  /// at least `minimumFiringRate`; nil when there is none.
  public func meanSelectivity(minimumFiringRate: Double = 0) -> Double? {
    ClassSelectivity.mean(of: selectivity, firingRates: firingRates, minimumFiringRate: minimumFiringRate)
  }

  /// Up to `count` channels with a defined selectivity and a firing rate of at least
  /// `minimumFiringRate`, most selective first (ties: lower channel).
  public func mostSelectiveChannels(_ count: Int, minimumFiringRate: Double = 0) -> [Int] {
    ClassSelectivity.mostSelective(
      count, of: selectivity, firingRates: firingRates, minimumFiringRate: minimumFiringRate)
  }
}
