import SparsityIO
import Testing

@testable import SparsityCore
@testable import SparsityNN

/// Training with every batch cut into parts (what MPI ranks share; scripts/mpi.sh runs the
/// ranks): one part is the plain trainer bit for bit, several parts give the whole batch's
/// gradient up to rounding, a run in parts repeats itself exactly, batch normalization uses each
/// part's statistics, and the KL penalty uses the whole batch's mean activations.
@Suite struct TrainerPartsTests {
  /// A small MLP on the digits with dropout after each ReLU.
  static func model(dropout: Float = 0.2) -> Sequential {
    var layers: [ModelArchitecture.LayerSpec] = []
    for width in [48, 32] {
      layers += [.linear(outputFeatures: width), .relu]
      if dropout > 0 { layers.append(.dropout(probability: dropout)) }
    }
    layers.append(.linear(outputFeatures: 10))
    return ModelArchitecture(inputFeatures: 64, layers: layers).makeSequential(seed: 3)
  }

  /// Every sparsity technique that trains in parts: dropout (in the model), activation L1,
  /// proximal weight L1 and gradual pruning.
  static func settings(epochs: Int = 2) -> TrainingSettings {
    var settings = TrainingSettings()
    settings.epochs = epochs
    settings.batchSize = 50
    settings.activationL1 = 1e-3
    settings.weightL1 = 1e-5
    settings.pruning = PruningSettings(sparsity: 0.5, startEpoch: 1, endEpoch: 2)
    return settings
  }

  @Test func onePartIsThePlainTrainerBitForBit() throws {
    let data = try TrainerTests.digits()
    let (plain, parted) = (Self.model(), Self.model())
    let plainHistory = BLAS.withThreadCount(1) {
      Trainer(model: plain, settings: Self.settings()).fit(train: data.train, validation: data.validation)
    }
    let partedHistory = try BLAS.withThreadCount(1) {
      try Trainer(model: parted, settings: Self.settings()).fit(
        train: data.train, validation: data.validation, parts: 1, reduction: LocalPartReduction())
    }
    #expect(plainHistory.map(\.trainLoss) == partedHistory.map(\.trainLoss))
    #expect(plainHistory.map(\.penalty) == partedHistory.map(\.penalty))
    for (a, b) in zip(plain.parameters, parted.parameters) { #expect(a.value.scalars == b.value.scalars) }
  }

  /// One step of plain SGD (learning rate 1, no momentum) on one batch of 60 digits, whole and
  /// in each of `partCounts` parts: the weights move by the gradient, so the difference of two
  /// runs is the difference of their gradients. The parts' sums round differently from the
  /// whole batch's, by about (rows · float epsilon) times the terms' magnitudes (60 · 6e-8
  /// here); the bound allows 1e-4 of the largest step, and 1e-5 of the loss and penalty.
  static func expectPartsMatchTheWholeBatch(
    _ model: () -> Sequential, settings base: TrainingSettings, partCounts: [Int]
  ) throws {
    let batch = try TrainerTests.digits().train.subset(Array(0..<60))
    var settings = base
    settings.epochs = 1
    settings.batchSize = 60
    settings.optimizer = .sgd(momentum: 0, nesterov: false)
    let (start, whole) = (model(), model())
    let wholeLoss = Trainer(model: whole, settings: settings).trainEpoch(batch, learningRate: 1)
    #expect(wholeLoss.penalty > 0)
    for parts in partCounts {
      let parted = model()
      let loss = try Trainer(model: parted, settings: settings).trainEpoch(
        batch, learningRate: 1, parts: parts, reduction: LocalPartReduction())
      #expect(abs(loss.loss - wholeLoss.loss) <= 1e-5 * wholeLoss.loss)
      #expect(abs(loss.penalty - wholeLoss.penalty) <= 1e-5 * wholeLoss.penalty)
      for ((a, b), s) in zip(zip(whole.parameters, parted.parameters), start.parameters) {
        let step = zip(a.value.scalars, s.value.scalars).map { abs($0 - $1) }.max()!
        let difference = zip(a.value.scalars, b.value.scalars).map { abs($0 - $1) }.max()!
        #expect(step > 0, "the step moved \(a.name)")
        #expect(difference <= 1e-4 * step, "\(parts) parts: \(a.name) differs by \(difference), step \(step)")
      }
    }
  }

  @Test func partsAddUpToTheWholeBatchsGradient() throws {
    var settings = TrainingSettings()
    settings.activationL1 = 1e-3
    try Self.expectPartsMatchTheWholeBatch({ Self.model(dropout: 0) }, settings: settings, partCounts: [2, 3, 7])
  }

  @Test func aRunInPartsRepeatsItselfAndDropsOutPerPart() throws {
    let data = try TrainerTests.digits()
    let runs = try (0..<2).map { _ in
      let model = Self.model()
      let history = try BLAS.withThreadCount(1) {
        try Trainer(model: model, settings: Self.settings()).fit(
          train: data.train, validation: data.validation, parts: 3, reduction: LocalPartReduction())
      }
      return (model.parameters.map(\.value.scalars), history.map(\.trainLoss))
    }
    #expect(runs[0].0 == runs[1].0)
    #expect(runs[0].1 == runs[1].1)
    #expect(runs[0].1.last! < runs[0].1.first!)
    // Each part draws its own masks: different seeds for different parts, steps and layers.
    let seeds = Set(
      (0..<4).flatMap { step in
        (0..<3).flatMap { part in (0..<2).map { Trainer.partSeed(7, step: step, part: part, layer: $0) } }
      })
    #expect(seeds.count == 24)
  }

  @Test func reseedingADropoutLayerRestartsItsMasks() {
    let input = Tensor(shape: [4, 8], scalars: (0..<32).map { Float($0 + 1) })
    let (a, b) = (Dropout(probability: 0.5, seed: 1), Dropout(probability: 0.5, seed: 9))
    var (x, y) = (Tensor(zeros: [4, 8]), Tensor(zeros: [4, 8]))
    a.forward(input, into: &x, training: true)
    b.reseed(1)
    b.forward(input, into: &y, training: true)
    #expect(x.scalars == y.scalars)
  }

  /// A small CNN with batch normalization on 8x8 digits.
  static func normalizedModel(imagePixels: Int = 3) -> Sequential {
    ModelArchitecture(
      input: .image(ImageShape(channels: 1, rows: 8, columns: 8)),
      layers: [
        .conv2d(outputChannels: 3, window: SlidingWindow(kernelRows: imagePixels, kernelColumns: imagePixels)),
        .batchNorm2d(), .relu, .flatten, .linear(outputFeatures: 10),
      ]
    ).makeSequential(seed: 2)
  }

  @Test func batchNormalizationTrainsInPartsWithEachPartsStatistics() throws {
    let data = try TrainerTests.digits()
    var settings = TrainingSettings()
    settings.epochs = 1
    settings.batchSize = 40
    // One part: the plain trainer, running statistics included, bit for bit.
    let (plain, parted) = (Self.normalizedModel(), Self.normalizedModel())
    let plainHistory = BLAS.withThreadCount(1) {
      Trainer(model: plain, settings: settings).fit(train: data.train, validation: data.validation)
    }
    let partedHistory = try BLAS.withThreadCount(1) {
      try Trainer(model: parted, settings: settings).fit(
        train: data.train, validation: data.validation, parts: 1, reduction: LocalPartReduction())
    }
    #expect(plainHistory.map(\.trainLoss) == partedHistory.map(\.trainLoss))
    #expect(ModelFile.stateDictionary(of: plain) == ModelFile.stateDictionary(of: parted))
    // Three parts, one step that moves no weight (learning rate 0): the running mean is the
    // mean over the parts of what each part's own update gives, (1 − 0.1) · 0 + 0.1 · mean_p.
    let batch = data.train.subset(Array(0..<40))
    settings.optimizer = .sgd(momentum: 0, nesterov: false)
    let model = Self.normalizedModel()
    _ = try Trainer(model: model, settings: settings).trainEpoch(
      batch, learningRate: 0, parts: 3, reduction: LocalPartReduction())
    var expected = [Double](repeating: 0, count: 3)
    var shuffle = Xoshiro256StarStar(seed: settings.seed)
    let order = shuffle.permutation(40)  // the epoch's order of the rows
    for part in 0..<3 {
      let single = Self.normalizedModel()
      let rows = Array(order[BatchParts.range(part, of: 3, count: 40)])
      single.forward(batch.subset(rows).features, training: true)
      let norm = single.layers[1] as! BatchNorm2d
      for c in 0..<3 { expected[c] += Double(norm.runningMean.value.scalars[c]) / 3 }
    }
    let norm = model.layers[1] as! BatchNorm2d
    for c in 0..<3 {
      #expect(abs(Double(norm.runningMean.value.scalars[c]) - expected[c]) <= 1e-6 * abs(expected[c]) + 1e-7)
    }
    #expect(norm.batchesTracked.value.scalars == [1])
    // A batch of 5 rows in 8 parts: 3 parts are empty and count for nothing.
    let short = Self.normalizedModel()
    _ = try Trainer(model: short, settings: settings).trainEpoch(
      batch.subset(Array(0..<5)), learningRate: 0, parts: 8, reduction: LocalPartReduction())
    let shortNorm = short.layers[1] as! BatchNorm2d
    #expect(shortNorm.batchesTracked.value.scalars == [1])
    var shortShuffle = Xoshiro256StarStar(seed: settings.seed)
    let shortOrder = shortShuffle.permutation(5)
    for c in 0..<3 {
      var mean = 0.0
      for row in shortOrder {
        let single = Self.normalizedModel()
        single.forward(batch.subset([row]).features, training: true)
        mean += Double((single.layers[1] as! BatchNorm2d).runningMean.value.scalars[c]) / 5
      }
      let value = Double(shortNorm.runningMean.value.scalars[c])
      #expect(abs(value - mean) <= 1e-6 * abs(mean) + 1e-7, "channel \(c): \(value), expected \(mean)")
    }
  }

  @Test func batchesOfOneValuePerChannelAreRefused() {
    // A batch normalization on 1x1 images (an 8x8 kernel on 8x8 digits) needs 2 rows or more.
    let flat = Self.normalizedModel(imagePixels: 8)
    #expect(Trainer.batchProblem(model: flat, samples: 100, batchSize: 1) != nil)
    #expect(Trainer.batchProblem(model: flat, samples: 101, batchSize: 50) != nil, "the last batch has one row")
    #expect(Trainer.batchProblem(model: flat, samples: 100, batchSize: 50) == nil)
    #expect(Trainer.batchProblem(model: flat, samples: 100, batchSize: 50, parts: 25) == nil)
    #expect(Trainer.batchProblem(model: flat, samples: 100, batchSize: 50, parts: 26)!.contains("part of one row"))
    #expect(Trainer.batchProblem(model: Self.normalizedModel(), samples: 100, batchSize: 1) == nil, "3x3 images")
  }

  @Test func theKLPenaltyInPartsUsesTheWholeBatchsMeans() throws {
    // Each part's gradient uses the batch's mean activations, so the parts add up to the
    // batch's gradient.
    var settings = TrainingSettings()
    settings.klSparsity = KLSparsity(target: 0.05, weight: 0.5)
    let sigmoid = ModelArchitecture(
      inputFeatures: 64,
      layers: [
        .linear(outputFeatures: 24), .sigmoid, .linear(outputFeatures: 12), .sigmoid, .linear(outputFeatures: 10),
      ]
    )
    try Self.expectPartsMatchTheWholeBatch({ sigmoid.makeSequential(seed: 5) }, settings: settings, partCounts: [2, 5])
  }
}
