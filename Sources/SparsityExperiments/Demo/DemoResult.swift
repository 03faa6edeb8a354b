// Everything `sparsity demo` measured, for its text output and its report.

/// What the demo measured: the scale, the data, one run per recipe, the sparsest accurate model,
/// the claims checked, the dictionary, the convolutional network and the wall time.
public struct DemoResult {
  /// The seed note's worked example: a ReLU output with 5 zeros of 8 (62.5%).
  public static let seedExample: [Float] = [0, 3.2, 0, 5.1, 0, 0.7, 0, 0]

  /// How large the networks and runs were.
  public var scale: DemoScale
  /// The digits, split and scaled: every run's train, validation and test parts.
  public var data: PreparedData
  /// One trained and measured model per recipe, in the order of `DemoRecipe.all`.
  public var runs: [DemoRun]
  /// Index in `runs` of the sparsest accurate model (`DemoRun.sparsestAccurate`), nil when none.
  public var chosen: Int?
  /// The seed note's claims with their verdicts.
  public var claims: [DemoClaim]
  /// The dictionary learned on the digits.
  public var dictionary: DemoDictionary
  /// The convolutional network, its orientation tuning and its compiled speed.
  public var convolution: DemoConvolution?
  /// Wall time of the whole demo, in seconds.
  public var seconds: Double

  /// A result of the given parts.
  public init(
    scale: DemoScale, data: PreparedData, runs: [DemoRun], chosen: Int?, claims: [DemoClaim],
    dictionary: DemoDictionary, convolution: DemoConvolution? = nil, seconds: Double
  ) {
    self.scale = scale
    self.data = data
    self.runs = runs
    self.chosen = chosen
    self.claims = claims
    self.dictionary = dictionary
    self.convolution = convolution
    self.seconds = seconds
  }
}
