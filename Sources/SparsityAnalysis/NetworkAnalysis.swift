// Everything the analysis finds about a trained network on a data set.

import SparsityCore
import SparsityNN

/// The activation and weight statistics of a network, layer by layer, on one data set.
///
/// `input` describes the data itself (how sparse the inputs are, which features are always
/// zero), `activations` every activation layer (`Layer.isActivation`: ReLU, LeakyReLU, Sigmoid,
/// TopK) and `weights` every layer with a `weight` parameter (Linear, Conv2d). For image
/// networks, `channels` aggregates every image-shaped activation layer per channel and
/// `orientation` probes the first convolution's units with oriented stimuli. Every number is
/// computed from the data by `analyze(network:features:labels:classes:settings:)`; see
/// `ActivationAnalysis`, `ChannelAnalysis`, `OrientationAnalysis` and `WeightAnalysis` for the
/// definitions.
public struct NetworkAnalysis: Sendable, Equatable {
  /// Inputs analysed.
  public var samples: Int
  /// Classes of the labels (0 for unlabeled data).
  public var classes: Int
  /// Inputs per class (empty for unlabeled data).
  public var classCounts: [Int]
  /// The settings used.
  public var settings: Settings
  /// The network input, as if it were a layer (no top inputs).
  public var input: ActivationAnalysis
  /// Every activation layer, first to last.
  public var activations: [ActivationAnalysis]
  /// Every layer with a weight matrix, first to last.
  public var weights: [WeightAnalysis]
  /// Every activation layer whose output is an image, per channel, first to last; empty for
  /// networks of flat features.
  public var channels: [ChannelAnalysis]
  /// The orientation tuning of the first convolution's units; nil without one.
  public var orientation: OrientationAnalysis?

  /// What to compute.
  public struct Settings: Sendable, Equatable {
    /// Near-zero threshold: |a| <= epsilon counts as not active (also for weights).
    public var epsilon: Float
    /// Inputs kept per unit, those activating it most (0 for none).
    public var topInputs: Int
    /// Rows per forward pass.
    public var batchSize: Int
    /// Bins of the activation-value and weight-magnitude histograms.
    public var histogramBins: Int
    /// What ranks a channel's top inputs (`ChannelAnalysis.topInputs`).
    public var channelRanking: ChannelAnalysis.Ranking

    /// Settings; the defaults are those of `sparsity analyze`.
    public init(
      epsilon: Float = 1e-6, topInputs: Int = 5, batchSize: Int = 256, histogramBins: Int = 30,
      channelRanking: ChannelAnalysis.Ranking = .maximum
    ) {
      precondition(
        epsilon >= 0 && epsilon.isFinite, "NetworkAnalysis.Settings: epsilon must be finite and >= 0, got \(epsilon)")
      precondition(topInputs >= 0, "NetworkAnalysis.Settings: topInputs must be >= 0, got \(topInputs)")
      precondition(batchSize > 0 && histogramBins > 0, "NetworkAnalysis.Settings: batch size and bins must be positive")
      self.epsilon = epsilon
      self.topInputs = topInputs
      self.batchSize = batchSize
      self.histogramBins = histogramBins
      self.channelRanking = channelRanking
    }
  }

  /// An analysis from its parts (`analyze` computes one from a network and data).
  public init(
    samples: Int, classes: Int, classCounts: [Int], settings: Settings, input: ActivationAnalysis,
    activations: [ActivationAnalysis], weights: [WeightAnalysis], channels: [ChannelAnalysis] = [],
    orientation: OrientationAnalysis? = nil
  ) {
    self.samples = samples
    self.classes = classes
    self.classCounts = classCounts
    self.settings = settings
    self.input = input
    self.activations = activations
    self.weights = weights
    self.channels = channels
    self.orientation = orientation
  }
}
