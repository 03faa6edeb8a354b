// `sparsity demo`'s report: the whole demo as one offline HTML page with charts and images.

import Foundation
import SparsityAnalysis
import SparsityBench
import SparsityCore
import SparsityInference
import SparsityNN
import SparsityReport

/// The report of `sparsity demo`: the seed's example, the comparison table and its charts, the
/// claims, the sparsest accurate model analysed, the dictionary, the speedup and the machine.
public enum DemoReport {
  /// Writes DIR/index.html and its images; returns the page's URL.
  /// - Throws: `ReportError` naming the directory or file that could not be written.
  public static func write(_ result: DemoResult, to directory: URL) throws -> URL {
    try ReportWriter.write(document(result), to: directory)
  }

  /// The page: one section per part of the demo, in the order the demo ran them.
  public static func document(_ result: DemoResult) -> ReportDocument {
    let data = result.data
    var report = ReportDocument(
      title: "Sparsity in neural networks: what it is, what it costs, what it buys",
      introduction:
        "Written by sparsity demo. Every number on this page was computed in that run from the embedded digits "
        + "(1,797 handwritten digits of 8×8 pixels: \(data.train.sampleCount) train, \(data.validation.sampleCount) validation, "
        + "\(data.test.sampleCount) test images), on the machine named at the end. Accuracies and sparsity are measured on the test images."
    )
    report.append(seedSection())
    report.append(DemoReportComparison.table(result))
    report.append(DemoReportComparison.charts(result))
    report.append(claimsSection(result.claims))
    if let chosen = result.chosen {
      for section in DemoReportComparison.inside(result.runs[chosen], data: data) { report.append(section) }
    }
    report.append(dictionarySection(result.dictionary, scale: result.scale))
    if let chosen = result.chosen { report.append(speedSection(result.runs[chosen])) }
    if let convolution = result.convolution {
      for section in DemoReportConvolution.sections(convolution) { report.append(section) }
    }
    report.append(machineSection(result))
    return report
  }

  /// The seed note's worked example.
  static func seedSection() -> ReportSection {
    let example = Tensor(DemoResult.seedExample).sparsityMeasures()
    var section = ReportSection("A sparse vector")
    section.paragraph(
      "A vector is sparse when most of its entries are zero. ReLU, max(0, x), switches units off, so the seed note's example "
        + "ReLU output [0, 3.2, 0, 5.1, 0, 0.7, 0, 0] has \(example.active) active units of \(example.count): "
        + "\(example.zeros) of \(example.count) = \(DemoTable.percent(example.sparsity)) are zero (the note rounds this to 60%)."
    )
    section.keyValues([
      ("zeros", "\(example.zeros) of \(example.count)"), ("active (L0)", "\(example.active)"),
      ("L1 norm", NumberFormat.compact(example.l1)), ("L2 norm", NumberFormat.compact(example.l2)),
      ("Hoyer sparsity", NumberFormat.compact(example.hoyer)), ("Gini index", NumberFormat.compact(example.gini)),
    ])
    return section
  }

  /// The three claims with their verdicts and evidence.
  static func claimsSection(_ claims: [DemoClaim]) -> ReportSection {
    var section = ReportSection("The seed note's claims, checked")
    section.paragraph(
      "Each verdict is computed from the measurements above by fixed rules (see DemoClaims.swift); differences of up to \(DemoClaims.noiseSamples) test images are treated as noise."
    )
    for claim in claims {
      section.subheading("\(claim.title): \(claim.verdict.rawValue)")
      section.paragraph(claim.evidence)
    }
    return section
  }

  /// The dictionary's atoms, statistics and one digit as a sum of atoms.
  static func dictionarySection(_ dictionary: DemoDictionary, scale: DemoScale) -> ReportSection {
    let s = dictionary.summary
    var section = ReportSection("Sparse coding: a dictionary learned on the digits")
    section.paragraph(
      "Online dictionary learning (Mairal et al. 2010) represents each digit x (pixels scaled to [0, 1]) as a D, a few of "
        + "\(s.atoms) unit-norm atoms, minimizing 0.5 ‖x − a D‖² + λ‖a‖₁ with λ = \(String(format: "%g", dictionary.lambda)). "
        + "Codes and atoms are kept nonnegative, so the atoms are parts that add up to a digit: pen strokes more than whole digits."
    )
    section.keyValues([
      ("digits", "\(s.samples)"), ("atoms", "\(s.atoms)"), ("epochs", "\(s.epochs)"),
      ("nonzero coefficients per digit", String(format: "%.2f of %ld", s.meanNonzeros, s.atoms)),
      ("zero coefficients", DemoTable.percent(s.zeroFraction)),
      ("relative error ‖X − A D‖ / ‖X‖", String(format: "%.4f", s.relativeError)),
      ("mean objective", String(format: "%.4f", s.finalObjective)), ("atoms resampled (unused)", "\(s.resampledAtoms)"),
      ("time", String(format: "%.1f s", dictionary.seconds)),
    ])
    section.image(
      ReportImage(
        fileName: "dictionary-atoms.png", gray: dictionary.atomImage,
        alternativeText: "the \(s.atoms) learned atoms as 8x8 images",
        caption:
          "The \(s.atoms) atoms, each an 8×8 image scaled to its own range (dark: its smallest value, light: its largest).",
        scale: 4))
    section.image(
      ReportImage(
        fileName: "dictionary-example.png", gray: dictionary.exampleImage,
        alternativeText: "a digit, its reconstruction and its largest atoms",
        caption:
          "Image #\(dictionary.exampleIndex) (a \(dictionary.exampleLabel)), its reconstruction a D, then its largest atoms: image = \(dictionary.exampleFormula()).",
        scale: 6))
    section.paragraph("The same dictionary from the command line:")
    section.code(DemoDictionary.command(scale))
    return section
  }

  /// Dense against compiled, per batch size, with the plan.
  static func speedSection(_ run: DemoRun) -> ReportSection {
    var section = ReportSection("Cashing in the zeros: \(run.recipe.name), compiled")
    section.paragraph(
      "The model that leaves the fewest multiply-adds among those within \(DemoClaims.noiseSamples) test images of the plain network's accuracy, "
        + "compiled by the planner (each Linear layer's candidate kernels timed on the training images at the batch size) and timed "
        + "against the same network run densely with OpenBLAS (the faster of OpenBLAS on one thread per core share and OpenBLAS's own threads), "
        + "in one process, median of several timings.")
    section.table(speedTable(run.benchmarks))
    if let warning = MachineDescription.current.unfairBaselineWarning { section.paragraph(warning) }
    if let first = run.benchmarks.first {
      section.paragraph(
        "Weights: \(NumberFormat.bytes(first.denseWeightBytes)) dense, \(NumberFormat.bytes(first.sparseWeightBytes)) compiled. "
          + "Reproduce: train the model with the command in the table above (add --out model.safetensors), then sparsity bench model.safetensors --data digits --batch 1,8,64."
      )
    }
    return section
  }

  /// One row per batch size: dense and compiled latency, throughput, accuracy, agreement, kernels.
  static func speedTable(_ benchmarks: [ModelBenchmarkResult]) -> DataTable {
    var table = DataTable(columns: [
      .init("batch", .number), .init("dense (ms)", .number), .init("compiled (ms)", .number), .init("speedup", .number),
      .init("dense (images/s)", .number), .init("compiled (images/s)", .number), .init("accuracy, both (%)", .number),
      .init("max relative difference", .number), .init("kernels (layer:kernel)"),
    ])
    for r in benchmarks {
      table.append([
        "\(r.batch)", String(format: "%.4f", r.denseMilliseconds), String(format: "%.4f", r.sparseMilliseconds),
        String(format: "%.2f×", r.speedup),
        String(format: "%.0f", r.denseThroughput), String(format: "%.0f", r.sparseThroughput),
        String(format: "%.2f", r.sparseAccuracy * 100),
        String(format: "%.1e", r.relativeError),
        r.plan.kernelSummary,
      ])
    }
    return table
  }

  /// Machine, duration, how to reproduce.
  static func machineSection(_ result: DemoResult) -> ReportSection {
    var section = ReportSection("Machine and reproducibility")
    let machine = MachineDescription.current
    section.keyValues([
      ("machine", machine.summary), ("demo time", String(format: "%.0f s", result.seconds)),
      (
        "seed",
        "\(result.scale.seed) (every random choice is seeded: the same seed gives the same models; timings vary with the machine's load)"
      ),
    ])
    let commands =
      result.runs.map { "# \($0.recipe.name)\n" + $0.recipe.command(result.scale) }
      + (result.convolution.map { ["# convolutional network\n" + $0.recipe.commandLine] } ?? [])
    section.code(commands.joined(separator: "\n"))
    return section
  }
}
