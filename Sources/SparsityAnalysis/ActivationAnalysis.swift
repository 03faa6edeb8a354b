// What one activation layer (or the network input) does on a data set.

/// Activation statistics of one layer's output over the analysed inputs.
///
/// Definitions, with a the layer's output for one input and unit, n inputs, m units and
/// epsilon the near-zero threshold:
/// - `zeroFraction`: fraction of the n * m outputs with a == 0;
/// - `nearZeroFraction`: fraction with |a| <= epsilon (includes the exact zeros);
/// - a unit is *active* on an input when |a| > epsilon (with epsilon 0: a != 0); this one rule
///   defines `activeUnitsPerInput` (the L0 of each input's output), `firingRates` (fraction of
///   inputs on which the unit is active), `deadUnits` (firing rate 0: never active on the data)
///   and `alwaysOnUnits` (firing rate 1);
/// - `meanActivations[j]`: the mean of a over all inputs (accumulated in Double);
/// - `classMeans[j][c]`: the mean of max(a, 0) over the inputs of class c (nil for a class
///   without inputs), from which `selectivity[j]` (`ClassSelectivity`) follows;
/// - `topInputs[j]`: among the inputs on which unit j is active, those with the largest a,
///   strongest first, each with its class when labels are given (`TopActivations`); fewer than
///   asked when it is active on fewer inputs;
/// - `valueHistogram`: the values of the active outputs (|a| > epsilon), linear bins between
///   their smallest and largest value; the near-zero ones are `nearZeroFraction`.
public struct ActivationAnalysis: Sendable, Equatable {
  /// Index of the layer in its `Sequential`; nil for the network input.
  public var layerIndex: Int?
  /// The layer's description (`ReLU`, `TopK(32)`, ...) or `input`.
  public var name: String
  /// Units (features) of the output.
  public var units: Int
  /// Inputs analysed.
  public var samples: Int
  /// The near-zero threshold.
  public var epsilon: Float
  /// Fraction of outputs exactly zero.
  public var zeroFraction: Double
  /// Fraction of outputs with |a| <= epsilon.
  public var nearZeroFraction: Double
  /// Active units per input (L0 with threshold epsilon): frequencies of 0...units.
  public var activeUnitsPerInput: CountDistribution
  /// Per unit: fraction of inputs on which it is active.
  public var firingRates: [Double]
  /// Per unit: mean activation over all inputs.
  public var meanActivations: [Double]
  /// Units active on no input, ascending.
  public var deadUnits: [Int]
  /// Units active on every input, ascending.
  public var alwaysOnUnits: [Int]
  /// Per unit, per class: mean of max(a, 0) over that class's inputs; empty without labels.
  public var classMeans: [[Double?]]
  /// Per unit: class selectivity and preferred class; empty without labels.
  public var selectivity: [ClassSelectivity]
  /// Per unit: the active inputs activating it most, strongest first; empty for a dead unit.
  public var topInputs: [[TopActivations.Entry]]
  /// Values of the active outputs.
  public var valueHistogram: ValueHistogram

  /// The mean selectivity index over the units where it is defined; nil when it is nowhere.
  public var meanSelectivity: Double? { meanSelectivity(minimumFiringRate: 0) }

  /// The mean selectivity index over the units where it is defined and whose firing rate is at
  /// least `minimumFiringRate`; nil when there is none. A unit active on one or two inputs of one
  /// class scores 1 by construction, so a floor such as 0.02 keeps such units from inflating
  /// the mean.
  public func meanSelectivity(minimumFiringRate: Double) -> Double? {
    ClassSelectivity.mean(of: selectivity, firingRates: firingRates, minimumFiringRate: minimumFiringRate)
  }

  /// Up to `count` units with a defined selectivity and a firing rate of at least
  /// `minimumFiringRate`, most selective first (ties: lower unit).
  public func mostSelectiveUnits(_ count: Int, minimumFiringRate: Double = 0) -> [Int] {
    ClassSelectivity.mostSelective(
      count, of: selectivity, firingRates: firingRates, minimumFiringRate: minimumFiringRate)
  }
}
