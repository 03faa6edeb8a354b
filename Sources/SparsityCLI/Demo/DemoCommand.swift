// `sparsity demo`: the main job of `make demo`.

import Foundation
import SparsityBench
import SparsityCore
import SparsityExperiments
import SparsityInference
import SparsityNN

/// The `demo` subcommand: the seed note's worked example, seven ways of training one network on
/// the digits compared in one table, the seed's three claims checked against it, a dictionary
/// learned on the digits, the sparsest accurate model compiled and timed, and an HTML report.
enum DemoCommand {
  static let report = Option<String>(
    "report", "DIR", default: "sparsity-report",
    help: "write the report to DIR/index.html, whose path is printed last")
  static let quick = Flag(
    "quick", help: "tiny networks and 3 epochs, for a first look in seconds (figures not meaningful)")

  static let command = Command(
    name: "demo",
    summary:
      "the main job: the seed's example, seven sparsity techniques compared, a dictionary, the speedup, a report",
    options: [report.spec, quick.spec],
    description: """
      On the embedded digits (1,797 8x8 images), in well under a minute on 2 cores:
        1. the seed note's ReLU output [0, 3.2, 0, 5.1, 0, 0.7, 0, 0] measured: 62.5% zeros;
        2. one network, 64-1024-1024-10, trained seven ways (20 epochs, seed 0): plain ReLU, L1 on
           the weights, L1 on the activations, dropout, TopK, a sigmoid sparse autoencoder with a
           KL target (then a linear classifier on its codes), and activation L1 with 90% pruning;
           one table of test and train accuracy, their gap, activation zeros, near zeros
           (|a| <= 0.05), active units per input, dead units, class selectivity, zero weights, the
           share of multiply-adds left when zeros are skipped, and the batch-1 speedup of the
           compiled model over dense OpenBLAS;
        3. the seed's claims (efficiency, interpretability, less overfitting) checked against it;
        4. a dictionary of 100 atoms learned on the digits (sparse coding), with one digit written
           as a sum of a few atoms;
        5. the sparsest accurate model compiled (fastest kernel per layer) and timed at batch 1
           and 64 against dense OpenBLAS;
        6. a convolutional network on the digits as 1x8x8 images, with activation L1 and 90%
           of its weights pruned: its first-layer filters, the units tuned to vertical lines (probed with
           oriented gratings and bars) and its compiled speedup at batch 1 and 64.
      Everything goes to the HTML report of --report. Every row's 'sparsity train' command is in
      the report, so each can be rerun by hand.
      """, run: run)

  static func run(_ arguments: Arguments) throws {
    let scale = arguments.flag(Self.quick) ? DemoScale.quick : DemoScale()
    let reportDirectory = try OutputPath.reportDirectory(
      try arguments.value(Self.report, default: "sparsity-report"), option: Self.report.name)
    print(DemoText.seedExample(DemoResult.seedExample))
    let recipes = DemoRecipe.all(scale)
    let progress = DemoProgress(steps: recipes.count + 4)
    let data = try scale.loadData()
    print(DemoText.trainingHeader(scale, data: data, count: recipes.count))
    var runs: [DemoRun] = []
    for (index, recipe) in recipes.enumerated() {
      progress.begin("training \(recipe.name)")
      var epoch = 0
      var run = DemoRun.train(
        recipe, index: index, scale: scale, data: data,
        onBatch: { progress.update("epoch \(epoch + 1)", done: $0, of: $1) }, onEpoch: { epoch = $0 })
      progress.update("timing", done: 1, of: 1)
      if run.run.divergedEpoch == nil { run.benchmarks = run.benchmark(data: data, batches: [1], scale: scale) }
      progress.clear()
      print(DemoText.runLine(run, index: index, count: recipes.count, elapsed: progress.elapsed))
      runs.append(run)
    }
    let chosen = DemoRun.sparsestAccurate(runs, testSamples: data.test.sampleCount)
    if let chosen {
      progress.begin(
        "timing \(runs[chosen].recipe.name) at batch \(scale.benchmarkBatches.map(String.init).joined(separator: ", "))"
      )
      runs[chosen].benchmarks += runs[chosen].benchmark(data: data, batches: scale.extraBenchmarkBatches, scale: scale)
      progress.clear()
    }
    print(DemoText.table(runs, data: data))
    let claims = DemoClaims.evaluate(runs, chosen: chosen.map { runs[$0] }, testSamples: data.test.sampleCount)
    print(DemoText.claims(claims))
    progress.begin("learning a dictionary of \(scale.atoms) atoms on the digits")
    let dictionary = try DemoDictionary.learn(scale) { progress.update("mini-batch", done: $0, of: $1) }
    progress.clear()
    print(DemoText.dictionary(dictionary))
    if let chosen { print(DemoText.speedup(runs[chosen])) }
    progress.begin("training a convolutional network")
    var epoch = 0
    var convolution = DemoConvolution.train(
      scale: scale, data: data, onBatch: { progress.update("epoch \(epoch + 1)", done: $0, of: $1) },
      onEpoch: { epoch = $0 })
    progress.update("timing", done: 1, of: 1)
    convolution.benchmark(data: data, scale: scale)
    progress.clear()
    print(DemoText.convolution(convolution))
    progress.begin("writing the report")
    let result = DemoResult(
      scale: scale, data: data, runs: runs, chosen: chosen, claims: claims, dictionary: dictionary,
      convolution: convolution, seconds: progress.elapsed)
    let index = try DemoReport.write(result, to: reportDirectory)
    progress.clear()
    print(
      String(format: "\nFinished in %.0f s. The report, with every chart and the command of every row:", result.seconds)
    )
    print(index.path)
  }
}
