import SparsityIO
import Testing

@testable import SparsityCore
@testable import SparsityNN

/// Training with every batch cut into parts (what MPI ranks share; scripts/mpi.sh runs the
/// ranks): one part is the plain trainer bit for bit, several parts give the whole batch's
/// gradient up to rounding, a run in parts repeats itself exactly, and the layers whose
/// statistics span the batch are refused.
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

  @Test func partsAddUpToTheWholeBatchsGradient() throws {
    // One step of plain SGD (learning rate 1, no momentum) on one batch: the weights move by
    // the gradient, so the difference of two runs is the difference of their gradients. The
    // parts' sums round differently from the whole batch's, by about (rows · float epsilon)
    // times the terms' magnitudes (60 · 6e-8 here); the bound allows 1e-4 of the largest entry.
    let data = try TrainerTests.digits()
    let batch = data.train.subset(Array(0..<60))
    var settings = TrainingSettings()
    settings.epochs = 1
    settings.batchSize = 60
    settings.optimizer = .sgd(momentum: 0, nesterov: false)
    settings.learningRate = 1
    settings.activationL1 = 1e-3
    let start = Self.model(dropout: 0)
    let whole = Self.model(dropout: 0)
    let wholeLoss = Trainer(model: whole, settings: settings).trainEpoch(batch, learningRate: 1)
    for parts in [2, 3, 7] {
      let parted = Self.model(dropout: 0)
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

  @Test func batchStatisticsAreRefusedInSeveralParts() {
    let image = ImageShape(channels: 1, rows: 8, columns: 8)
    let normalized = ModelArchitecture(
      input: .image(image),
      layers: [
        .conv2d(outputChannels: 2, window: SlidingWindow(kernelRows: 3, kernelColumns: 3)), .batchNorm2d(), .relu,
        .flatten, .linear(outputFeatures: 10),
      ]
    ).makeSequential(seed: 0)
    #expect(
      Trainer.partsProblem(model: normalized, settings: TrainingSettings(), parts: 2)!.contains("batch normalization"))
    #expect(Trainer.partsProblem(model: normalized, settings: TrainingSettings(), parts: 1) == nil)
    let sigmoid = ModelArchitecture(
      inputFeatures: 64, layers: [.linear(outputFeatures: 8), .sigmoid, .linear(outputFeatures: 10)]
    )
    .makeSequential(seed: 0)
    var kl = TrainingSettings()
    kl.klSparsity = KLSparsity(target: 0.05, weight: 0.1)
    #expect(Trainer.partsProblem(model: sigmoid, settings: kl, parts: 3)!.contains("KL"))
    #expect(Trainer.partsProblem(model: sigmoid, settings: TrainingSettings(), parts: 3) == nil)
    #expect(Trainer.partsProblem(model: Self.model(), settings: Self.settings(), parts: 4) == nil)
  }
}
