import Testing

@testable import SparsityCore

@Suite struct BatchNormKernelsTests {
  /// (batch, image): empty, one value per channel, odd planes around the eight-lane width, and a
  /// batch large enough to be split over threads.
  static let cases: [(Int, ImageShape)] = [
    (0, ImageShape(channels: 3, rows: 2, columns: 2)), (1, ImageShape(rows: 1, columns: 1)),
    (3, ImageShape(channels: 3, rows: 7, columns: 5)), (2, ImageShape(channels: 4, rows: 3, columns: 3)),
    (5, ImageShape(channels: 2, rows: 1, columns: 17)), (64, ImageShape(channels: 8, rows: 6, columns: 6)),
  ]

  /// Per-channel values of a seeded generator in `range`.
  private static func channelValues(_ image: ImageShape, in range: ClosedRange<Float>, seed: UInt64) -> [Float] {
    var generator = Xoshiro256StarStar(seed: seed)
    return (0..<image.channels).map { _ in generator.uniform(in: range) }
  }

  @Test(arguments: cases)
  func statisticsMatchTheirTwinEvenFarFromZero(batch: Int, image: ImageShape) {
    let channels = image.channels
    for offset: Float in [0, 1000] {
      let input =
        randomMatrix(batch, image.featureCount, zeroFraction: 0.1, seed: UInt64(batch * 7 + channels)) + offset
      var (means, variances) = ([Float](repeating: .nan, count: channels), [Float](repeating: .nan, count: channels))
      var (twinMeans, twinVariances) = (means, variances)
      channelMeansAndVariances(of: input, image: image, means: &means, variances: &variances)
      channelMeansAndVariancesReference(of: input, image: image, means: &twinMeans, variances: &twinVariances)
      #expect(Tensor(means).isApproximatelyEqual(to: Tensor(twinMeans), relativeTolerance: 1e-6), "\(batch) x \(image)")
      #expect(
        Tensor(variances).isApproximatelyEqual(to: Tensor(twinVariances), relativeTolerance: 1e-4),
        "\(batch) x \(image), offset \(offset)")
    }
  }

  @Test(arguments: cases)
  func normalizationAndGradientsMatchTheirTwins(batch: Int, image: ImageShape) {
    let input = randomMatrix(batch, image.featureCount, zeroFraction: 0, seed: UInt64(batch + image.featureCount))
    let gradient = randomMatrix(batch, image.featureCount, zeroFraction: 0, seed: 3)
    let means = Self.channelValues(image, in: -1...1, seed: 4)
    let inverseDeviations = Self.channelValues(image, in: 0.5...2, seed: 5)
    let scales = Self.channelValues(image, in: -2...2, seed: 6)
    let shifts = Self.channelValues(image, in: -1...1, seed: 7)
    var (fast, twin) = (Tensor(repeating: .nan, shape: input.shape), Tensor(repeating: .nan, shape: input.shape))
    normalizeChannels(input, image: image, means: means, scales: scales, shifts: shifts, into: &fast)
    normalizeChannelsReference(input, image: image, means: means, scales: scales, shifts: shifts, into: &twin)
    #expect(fast.isApproximatelyEqual(to: twin, relativeTolerance: 1e-6), "\(batch) x \(image)")

    let nans = [Float](repeating: .nan, count: image.channels)
    var (weight, bias, twinWeight, twinBias) = (nans, nans, nans, nans)
    batchNormParameterGradients(
      gradient, input: input, image: image, means: means, inverseDeviations: inverseDeviations,
      weightGradient: &weight, biasGradient: &bias)
    batchNormParameterGradientsReference(
      gradient, input: input, image: image, means: means, inverseDeviations: inverseDeviations,
      weightGradient: &twinWeight, biasGradient: &twinBias)
    #expect(Tensor(weight).isApproximatelyEqual(to: Tensor(twinWeight), relativeTolerance: 1e-4), "\(batch) x \(image)")
    #expect(Tensor(bias).isApproximatelyEqual(to: Tensor(twinBias), relativeTolerance: 1e-4), "\(batch) x \(image)")

    for batchStatistics in [true, false] {
      var (fastGradient, twinGradient) = (
        Tensor(repeating: .nan, shape: input.shape), Tensor(repeating: .nan, shape: input.shape)
      )
      batchNormInputGradient(
        gradient, input: input, image: image, means: means, inverseDeviations: inverseDeviations, scales: scales,
        weightGradient: weight, biasGradient: bias, batchStatistics: batchStatistics, into: &fastGradient)
      batchNormInputGradientReference(
        gradient, input: input, image: image, means: means, inverseDeviations: inverseDeviations, scales: scales,
        weightGradient: weight, biasGradient: bias, batchStatistics: batchStatistics, into: &twinGradient)
      #expect(
        fastGradient.isApproximatelyEqual(to: twinGradient, relativeTolerance: 1e-5),
        "\(batch) x \(image), batch statistics \(batchStatistics)")
    }
  }

  @Test func normalizedChannelsHaveMeanZeroAndUnitVarianceAndTheirInputGradientIsCentered() {
    let image = ImageShape(channels: 3, rows: 7, columns: 5)
    let input = randomMatrix(4, image.featureCount, zeroFraction: 0, seed: 8) * 3 + 2
    var (means, variances) = ([Float](repeating: 0, count: 3), [Float](repeating: 0, count: 3))
    channelMeansAndVariances(of: input, image: image, means: &means, variances: &variances)
    let inverseDeviations = variances.map { 1 / $0.squareRoot() }
    var normalized = Tensor(zeros: input.shape)
    normalizeChannels(
      input, image: image, means: means, scales: inverseDeviations, shifts: [0, 0, 0], into: &normalized)
    var (statisticsMeans, statisticsVariances) = ([Float](repeating: 0, count: 3), [Float](repeating: 0, count: 3))
    channelMeansAndVariances(of: normalized, image: image, means: &statisticsMeans, variances: &statisticsVariances)
    #expect(statisticsMeans.allSatisfy { abs($0) < 1e-5 } && statisticsVariances.allSatisfy { abs($0 - 1) < 1e-4 })

    // Through the batch statistics, dL/dx has zero sum and is orthogonal to xhat per channel.
    let gradient = randomMatrix(4, image.featureCount, zeroFraction: 0, seed: 9)
    var (weight, bias) = ([Float](repeating: 0, count: 3), [Float](repeating: 0, count: 3))
    batchNormParameterGradients(
      gradient, input: input, image: image, means: means, inverseDeviations: inverseDeviations,
      weightGradient: &weight, biasGradient: &bias)
    var inputGradient = Tensor(zeros: input.shape)
    batchNormInputGradient(
      gradient, input: input, image: image, means: means, inverseDeviations: inverseDeviations,
      scales: inverseDeviations, weightGradient: weight, biasGradient: bias, batchStatistics: true,
      into: &inputGradient)
    var (sums, products) = ([Float](repeating: 0, count: 3), [Float](repeating: 0, count: 3))
    batchNormParameterGradients(
      inputGradient, input: input, image: image, means: means, inverseDeviations: inverseDeviations,
      weightGradient: &products, biasGradient: &sums)
    #expect(sums.allSatisfy { abs($0) < 1e-4 } && products.allSatisfy { abs($0) < 1e-4 })
  }
}
