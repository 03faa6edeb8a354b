import SparsityIO
import Testing

@testable import SparsityCore
@testable import SparsityNN

/// Seeded sparse-autoencoder training on the embedded digits: the reconstruction improves and
/// the KL target pulls the mean hidden activation towards rho.
@Suite struct AutoencoderTrainerTests {
  /// 64 -> 128 sigmoid -> 64 on digits scaled to [0, 1], 15 epochs of Adam.
  static func train(kl: KLSparsity?, epochs: Int = 15) throws -> (
    trainer: AutoencoderTrainer, history: [AutoencoderEpochReport], data: (train: Tensor, validation: Tensor)
  ) {
    let all = try DigitsDataset.load()
    let scaled = FeatureScaler(fitting: .fixedRange(maximum: 16), to: all).apply(to: all)
    let (train, validation) = scaled.split(testFraction: 0.2, seed: 0)
    let architecture = ModelArchitecture(
      inputFeatures: 64, layers: [.linear(outputFeatures: 128), .sigmoid, .linear(outputFeatures: 64)])
    var settings = TrainingSettings()
    settings.epochs = epochs
    settings.batchSize = 32
    settings.klSparsity = kl
    let trainer = AutoencoderTrainer(model: architecture.makeSequential(seed: 0), codeLayer: 1, settings: settings)
    let history = trainer.fit(train: train.features, validation: validation.features)
    return (trainer, history, (train.features, validation.features))
  }

  @Test func reconstructionImprovesAndIsMeasuredConsistently() throws {
    let (trainer, history, data) = try Self.train(kl: nil)
    #expect(history.count == 15 && trainer.divergedEpoch == nil)
    #expect(
      history.last!.trainLoss < history.first!.trainLoss * 0.5,
      "loss \(history.first!.trainLoss) -> \(history.last!.trainLoss)")
    // Predicting the mean pixel for every input is the baseline a trained autoencoder must beat.
    let meanOnly = data.validation.scalars.reduce(0.0) { $0 + Double($1) } / Double(data.validation.count)
    let variance =
      data.validation.scalars.reduce(0.0) { $0 + (Double($1) - meanOnly) * (Double($1) - meanOnly) }
      / Double(data.validation.count)
    #expect(
      history.last!.validationLoss < 0.5 * variance,
      "validation MSE \(history.last!.validationLoss), variance \(variance)")
    // The reconstruction error, computed by hand from one forward pass. The trainer's differs
    // only by rounding: `meanSquaredError` sums nonnegative squares in Float blocks of 1,024
    // (relative error at most gamma_1023 = 1023 u / (1 - 1023 u) ~ 6.1e-5, u = 2^-24; Higham,
    // Accuracy and Stability of Numerical Algorithms, 2nd ed., 4.2) and returns each batch's sum
    // in Float, and its forward passes run at batch 256, where BLAS may block the products
    // differently (outputs a few ulps apart, depending on the kernel). A wrong reduction (a
    // dropped batch, mean instead of sum) is off by far more.
    let output = trainer.model.forward(data.validation, training: false)
    let byHand =
      zip(output.scalars, data.validation.scalars).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
      / Double(data.validation.count)
    #expect(
      abs(byHand - history.last!.validationLoss) <= 1e-4 * byHand,
      "by hand \(byHand), trainer \(history.last!.validationLoss)")
  }

  @Test func klTargetPullsMeanActivationTowardsRho() throws {
    let plain = try Self.train(kl: nil).history.last!.meanCodeActivation
    let (trainer, history, data) = try Self.train(kl: KLSparsity(target: 0.05, weight: 0.5))
    let sparse = history.last!.meanCodeActivation
    #expect(sparse < 0.12, "mean code activation with KL(0.05): \(sparse)")
    #expect(sparse < plain - 0.1, "without KL \(plain), with \(sparse)")
    #expect(history.last!.penalty > 0)
    let codes = trainer.encode(data.validation)
    #expect(codes.shape == [data.validation.rows, 128])
    #expect(abs(AutoencoderTrainer.mean(codes) - sparse) < 1e-9)
  }

  @Test func sameSeedSameResult() throws {
    // BLAS held on one thread: benchmark tests running alongside lend it threads for a while,
    // and a product split another way may round differently (BLAS.withThreadCount).
    let (a, b) = try BLAS.withThreadCount(1) {
      (
        try Self.train(kl: KLSparsity(target: 0.05, weight: 0.5), epochs: 2),
        try Self.train(kl: KLSparsity(target: 0.05, weight: 0.5), epochs: 2)
      )
    }
    #expect(a.history.map(\.trainLoss) == b.history.map(\.trainLoss))
    #expect(a.trainer.model.parameters.map(\.value) == b.trainer.model.parameters.map(\.value))
  }
}
