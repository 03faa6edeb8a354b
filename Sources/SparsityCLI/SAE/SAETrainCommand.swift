// `sparsity sae train`: a sparse autoencoder trained on activation files.

import Foundation
import SparsityAutoencoders
import SparsityCore
import SparsityExperiments
import SparsityIO

/// The `train` form of `sparsity sae`.
enum SAETrainCommand {
  static let kind = Option<SAEObjective>(
    "kind", "KIND", expected: "topk:K, batchtopk:K, l1:C or jumprelu:C[:BANDWIDTH]", required: true,
    help: "the autoencoder: TopK, BatchTopK (saved as JumpReLU), L1-penalized ReLU, or JumpReLU with an L0 penalty",
    parse: { try? SAEObjective.parse($0).get() })
  static let latents = Option<Int>(
    "latents", "N", expected: "an integer from 1 to 1048576", required: true, help: "latents (the code's width, d_sae)",
    parse: { Int($0).flatMap { (1...(1 << 20)).contains($0) ? $0 : nil } })
  static let epochs = Option<Int>(
    "epochs", "N", expected: "an integer from 1 to 100000", default: "10", help: "passes over the training rows",
    parse: { Int($0).flatMap { (1...100_000).contains($0) ? $0 : nil } })
  static let batch = Option<Int>(
    "batch", "N", expected: "an integer from 1 to 65536", default: "1024", help: "rows per step",
    parse: { Int($0).flatMap { (1...65536).contains($0) ? $0 : nil } })
  static let learningRate = Option<Float>(
    "lr", "RATE", expected: "a finite number > 0", default: "2e-4 / sqrt(latents / 16384)",
    help: "Adam's base rate (warm-up over the first 5% of steps, linear decay over the last 20%)",
    parse: Parse.positiveFloat)
  static let heldOut = Option<SAEHeldOut>(
    "held-out", "F|N", expected: "a fraction in (0, 1) or a whole number of rows >= 0", default: "0.1",
    help: "hold out the last fraction (or number) of the rows for the metrics of each epoch",
    parse: { text in
      if let rows = Int(text), rows >= 0 { return rows == 0 ? SAEHeldOut.none : .rows(rows) }
      return Parse.openFraction(text).map { .fraction($0) }
    })
  static let heldOutData = Option<String>(
    "held-out-data", "FILE[,FILE...]", help: "evaluate on these files instead of holding out training rows")
  static let auxK = Option<Int>(
    "aux-k", "K", expected: "an integer >= 0", default: "inputs / 2",
    help: "TopK and BatchTopK: dead latents that reconstruct the residual (AuxK); 0 turns AuxK off",
    parse: Parse.nonNegativeInteger)
  static let auxCoefficient = Option<Float>(
    "aux-coefficient", "C", expected: "a finite number >= 0", default: "0.03125", help: "the weight of the AuxK loss",
    parse: Parse.nonNegativeFloat)
  static let deadWindow = Option<Int>(
    "dead-window", "ROWS", expected: "an integer > 0", default: "one epoch",
    help: "a latent is dead once it has not fired for this many training rows", parse: Parse.positiveInteger)
  static let initialL0 = Option<Double>(
    "initial-l0", "K", expected: "a number from 0 to the latents, exclusive", default: "64",
    help: "jumprelu: start each latent's threshold where the initial autoencoder keeps about K latents per row",
    parse: { Double($0).flatMap { $0 > 0 && $0.isFinite ? $0 : nil } })
  static let thresholdRateScale = Option<Float>(
    "threshold-lr-scale", "M", expected: "a finite number > 0", default: "10",
    help: "jumprelu: the thresholds' learning rate over --lr (1 is SAELens's)", parse: Parse.positiveFloat)
  static let seed = Option<UInt64>(
    "seed", "S", expected: "an integer >= 0", default: "0", help: "seed of the initialization and the batch order",
    parse: Parse.seed)
  static let noNormalize = Flag(
    "no-normalize",
    help: "train on the raw rows (by default they are scaled to unit mean squared norm, folded back on save)")
  static let parts = Option<Int>(
    "parts", "P", expected: "an integer from 1 to 4096", default: "the number of processes (1 without mpirun)",
    help:
      "cut each batch into P parts, one shard of the rows each, added in part order: the same P gives the same model on any number of MPI processes (sparsity-mpi)",
    parse: { Int($0).flatMap { (1...4096).contains($0) ? $0 : nil } })
  static let out = Option<String>(
    "out", "DIR", required: true, help: "write the autoencoder here (SAELens layout: sae_weights.safetensors, cfg.json)"
  )

  static let form = Command.Form(
    positional: Positional("train"),
    options: [
      SAECommand.data.spec, SAECommand.tensor.spec, kind.spec, latents.spec, epochs.spec, batch.spec,
      learningRate.spec, heldOut.spec, heldOutData.spec, auxK.spec, auxCoefficient.spec, deadWindow.spec,
      initialL0.spec, thresholdRateScale.spec, seed.spec,
      noNormalize.spec, parts.spec, out.spec, SAECommand.json.spec,
    ],
    description: """
      Trains a sparse autoencoder on rows of activations, streamed in shuffled batches from the files
      (a data set larger than memory trains in bounded memory). The loss is the batch's fraction of
      variance unexplained (FVU) plus the kind's sparsity term; tied initialization, b_dec at the
      geometric median, unit-norm decoder rows (not for l1), AuxK on dead latents (TopK, BatchTopK),
      Adam. After the encoder's dense product every step touches only the active latents. Each
      epoch prints the training FVU, L0 and dead latents, and the held-out FVU and L0.
      """)

  static func run(_ arguments: Arguments) throws {
    let objective = try arguments.required(kind, command: "sae train")
    var settings = SAETrainingSettings(
      objective: objective, latents: try arguments.required(latents, command: "sae train"))
    settings.epochs = try arguments.value(epochs, default: settings.epochs)
    settings.batchSize = try arguments.value(batch, default: settings.batchSize)
    settings.learningRate = try arguments.value(learningRate)
    settings.auxK = try arguments.value(auxK)
    settings.auxCoefficient = try arguments.value(auxCoefficient, default: settings.auxCoefficient)
    settings.deadWindow = try arguments.value(deadWindow)
    for name in ["initial-l0", "threshold-lr-scale"] where arguments.givenNames.contains(name) {
      guard case .jumpReLU = objective else {
        throw CLIError.invalidInput("sae train: --\(name) applies to --kind jumprelu only")
      }
    }
    if let l0 = try arguments.value(initialL0) {
      guard l0 < Double(settings.latents) else {
        throw CLIError.invalidInput(
          "sae train: --initial-l0 \(String(format: "%g", l0)) must be below --latents \(settings.latents)")
      }
      settings.initialL0 = l0
    }
    settings.thresholdLearningRateScale = try arguments.value(
      thresholdRateScale, default: settings.thresholdLearningRateScale)
    settings.seed = try arguments.value(seed, default: 0)
    settings.normalizesInputs = !arguments.flag(noNormalize)
    var held = try arguments.value(heldOut, default: .fraction(0.1))
    if let files = try arguments.value(heldOutData) {
      guard !arguments.givenNames.contains("held-out") else {
        throw CLIError.invalidInput("sae train: give --held-out or --held-out-data, not both")
      }
      held = .files(SAECommand.files(files))
    }
    let output = try OutputPath.checkDirectory(
      try arguments.required(out, command: "sae train"), option: "out",
      files: [SAEFiles.configFile, SAEFiles.Layout.saeLens.weightsFile])
    let job = SAETrainingJob(
      files: SAECommand.files(try arguments.required(SAECommand.data, command: "sae train")),
      tensor: try arguments.value(SAECommand.tensor), heldOut: held, settings: settings, output: output)
    let data = try job.data()
    let reduction = Processes.reduction
    let leader = reduction.isLeader
    let json = arguments.flag(SAECommand.json)
    let progress = BatchProgress(enabled: !json && leader, unit: "steps")
    let started = { (meanSquaredNorm: Double) in
      if !json && leader { print(SAEText.trainingHeader(job, data: data, meanSquaredNorm: meanSquaredNorm)) }
    }
    let report = { (report: SAEEpochReport) in
      progress.clear()
      if !json && leader { print(SAEText.epochLine(report, of: settings.epochs)) }
    }
    let result: SAETrainingResult
    if let count = try arguments.value(parts) ?? (Processes.count > 1 ? Processes.count : nil) {
      result = try job.runInParts(
        data: data, parts: count, reduction: reduction, started: started, report: report,
        stepDone: { step, total, _ in progress.update(step, total) })
    } else {
      result = try job.run(
        data: data, started: started, report: report, stepDone: { step, total, _ in progress.update(step, total) })
    }
    progress.clear()
    guard leader else { return }
    if json {
      print(try JSONValue(encoding: SAEText.TrainingSummary(result, settings: settings, output: output)).text)
    } else {
      print(SAEText.trainingFooter(result, output: output))
      let model = result.autoencoder
      let thresholds = { if case .jumpReLU = settings.objective { true } else { false } }()
      let gradient = SAEParameters.count(latents: model.latents, inputs: model.inputs, thresholds: thresholds)
      if let line = Processes.communication(steps: result.steps, gradientValues: gradient) { print(line) }
    }
  }
}
