// The terminal output of `sparsity demo`.

import Foundation
import SparsityBench
import SparsityCore
import SparsityExperiments
import SparsityReport

enum DemoText {
  /// Section 1: the seed note's worked example, measured.
  static func seedExample(_ values: [Float]) -> String {
    let example = Tensor(values)
    let report = example.sparsityMeasures()
    let listed = values.map { $0 == 0 ? "0" : String(format: "%g", $0) }.joined(separator: ", ")
    let text = InputMeasurement(
      input: "ReLU output [\(listed)]", tensor: example, epsilon: SparsityMeasures.defaultEpsilon, droppedColumns: []
    ).text
    return """
      Sparsity demo: what sparsity a network has, and what it buys, on the embedded digits
      ====================================================================================

      1. A sparse vector: the seed note's ReLU output
      \(text)
      \(report.active) of \(report.count) units are active, so \(report.zeros) of \(report.count) = \(DemoTable.percent(report.sparsity)) \
      are zero (the note rounds this to "60%").

      """
  }

  /// Section 2's heading: the network, the data, what is compared.
  static func trainingHeader(_ scale: DemoScale, data: PreparedData, count: Int) -> String {
    let widths = ([data.train.featureCount] + scale.layers + [data.train.classCount]).map(String.init).joined(
      separator: "-")
    let warning =
      MachineDescription.current.unfairBaselineWarning.map {
        "\n" + wrap($0 + " The speedups below use this slower baseline.", indent: "   ")
      } ?? ""
    return """
      2. One network, \(widths), trained \(count - 1) ways on the digits, plus a sparse autoencoder
         \(data.train.sampleCount) train, \(data.validation.sampleCount) validation, \(data.test.sampleCount) test images; \
      \(scale.epochs) epochs, Adam (the weight-L1 row: SGD, lr 0.05), seed \(scale.seed). Measured on the test images.
      """ + warning
  }

  /// The line printed when one model is done.
  static func runLine(_ run: DemoRun, index: Int, count: Int, elapsed: Double) -> String {
    let name = run.recipe.name.padding(toLength: 22, withPad: " ", startingAt: 0)
    guard let test = run.run.test else {
      return "   [\(index + 1)/\(count)] \(name) training diverged at epoch \(run.run.divergedEpoch ?? 0)"
    }
    return String(
      format: "   [%ld/%ld] %@ test %.2f%%  zeros %.1f%%  multiply-adds left %.1f%%  batch-1 speedup %@  (at %.0f s)",
      index + 1, count, name, test.accuracy * 100, (run.zeroFraction ?? 0) * 100, (run.work?.fraction ?? 1) * 100,
      run.batchOne.map { String(format: "%.2fx", $0.speedup) } ?? "-", elapsed)
  }

  /// The comparison table and what its columns mean.
  static func table(_ runs: [DemoRun], data: PreparedData) -> String {
    let samples = data.test.sampleCount
    let legend = [
      "gap: train - test accuracy in points (1 test image = \(String(format: "%.2f", 100 / Double(samples))) points).",
      "act zeros: exact zeros, mean over the hidden layers. |a|<=0.05: near zeros (sigmoid units are never exactly 0).",
      "active/input: units with |a| > 0.05 per image, mean over the hidden layers, of the layer's units. dead: hidden units never above 0.05.",
      "selectivity: mean class selectivity of the units active on 2% or more of the images (1 = one class alone drives a unit).",
      "zero weights: exact zeros of all Linear weights. MACs left: multiply-adds with a nonzero input and a nonzero weight, of the dense count.",
      "speedup b1: the compiled model (fastest kernel per layer) against dense OpenBLAS, one image at a time.",
      "The sparse autoencoder row is its encoder followed by a linear classifier trained on its codes.",
    ]
    let rows = BenchReport.aligned([DemoTable.columns] + runs.map(DemoTable.cells)).split(separator: "\n").map {
      "   " + $0
    }
    return "\n" + rows.joined(separator: "\n") + "\n" + legend.map { wrap($0, indent: "   ") }.joined(separator: "\n")
      + "\n"
  }

  /// Section 3: the claims with their verdicts.
  static func claims(_ claims: [DemoClaim]) -> String {
    "3. What the seed note claims, checked on these measurements\n"
      + claims.map { "   \($0.title): \($0.verdict.rawValue.uppercased())\n" + wrap($0.evidence, indent: "      ") }
      .joined(separator: "\n") + "\n"
  }

  /// Section 4: the dictionary.
  static func dictionary(_ dictionary: DemoDictionary) -> String {
    let s = dictionary.summary
    return """
      4. Sparse coding: \(s.atoms) atoms learned on the \(s.samples) digits (online dictionary learning, lambda \(String(format: "%g", dictionary.lambda)))
         Each digit (pixels in [0, 1]) is coded as a sum of nonnegative atoms with nonnegative coefficients: \(String(format: "%.1f", s.meanNonzeros)) nonzero coefficients \
      of \(s.atoms) on average (\(DemoTable.percent(s.zeroFraction)) zeros), relative error \(String(format: "%.3f", s.relativeError)) (||X - A D|| / ||X||).
         Image #\(dictionary.exampleIndex) (a \(dictionary.exampleLabel)) = \(dictionary.exampleFormula()) (\(String(format: "%.1f", dictionary.seconds)) s; atoms in the report)

      """
  }

  /// Section 5: the sparsest accurate model compiled, per batch size.
  static func speedup(_ run: DemoRun) -> String {
    var lines = [
      "5. Cashing in the zeros: \(run.recipe.name), the model that leaves the fewest multiply-adds within \(DemoClaims.noiseSamples) test images of the plain network's accuracy"
    ]
    let machine = MachineDescription.current
    lines.append("   Machine: \(machine.summary)")
    if let warning = machine.unfairBaselineWarning { lines.append(wrap(warning, indent: "   ")) }
    for result in run.benchmarks {
      lines.append(
        String(
          format:
            "   batch %3ld: dense %.4f ms, compiled %.4f ms, %.2fx faster; accuracy %.2f%% dense, %.2f%% compiled; kernels %@",
          result.batch, result.denseMilliseconds, result.sparseMilliseconds, result.speedup, result.denseAccuracy * 100,
          result.sparseAccuracy * 100, result.plan.kernelSummary))
    }
    lines.append(
      "   Weights: dense \(NumberFormat.bytes(run.benchmarks.first?.denseWeightBytes ?? 0)), compiled \(NumberFormat.bytes(run.benchmarks.first?.sparseWeightBytes ?? 0)). To time it yourself: add --out model.safetensors to its train command (in the report), then sparsity bench model.safetensors --data digits --batch 1,8,64"
    )
    return lines.joined(separator: "\n")
  }

  /// `text` wrapped at 100 columns, each line starting with `indent`.
  static func convolution(_ c: DemoConvolution) -> String {
    let run = c.run
    var lines = [
      "6. A convolutional network on the digits as 1x8x8 images: \(run.architecture.description), activation L1 and 90% of its weights pruned"
    ]
    guard let test = run.test else { return (lines + ["   did not train"]).joined(separator: "\n") }
    lines.append(
      String(
        format: "   test accuracy %.2f%%, zero weights %.1f%%, activation zeros %.1f%% on the test images",
        test.accuracy * 100,
        (run.weightSparsity ?? 0) * 100, (run.activationSparsity ?? 0) * 100))
    if let tuning = c.orientation?.tuning {
      lines.append(
        "   First-layer units probed with gratings and bars at \(tuning.angles.count) orientations: \(c.selectiveUnits.count) of \(tuning.units.count) orientation-selective (OSI > 0.5); vertical-line units: \(UnitList.text(c.verticalUnits, limit: 20))"
      )
    }
    for result in c.benchmarks {
      lines.append(
        String(
          format: "   batch %3ld: dense (im2col + OpenBLAS) %.4f ms, compiled %.4f ms, %.2fx faster; kernels %@",
          result.batch,
          result.denseMilliseconds, result.sparseMilliseconds, result.speedup, result.plan.kernelSummary))
    }
    return lines.joined(separator: "\n")
  }

  static func wrap(_ text: String, indent: String, width: Int = 100) -> String {
    var lines: [String] = []
    var line = indent
    for word in text.split(separator: " ") {
      if line.count + word.count + 1 > width && line != indent {
        lines.append(line)
        line = indent
      }
      line += (line == indent ? "" : " ") + word
    }
    lines.append(line)
    return lines.joined(separator: "\n")
  }
}
