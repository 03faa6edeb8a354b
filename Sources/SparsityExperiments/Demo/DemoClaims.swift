// The seed note's three claims about sparsity, checked against the demo's measurements.

import Foundation
import SparsityBench

/// One claim of the seed note, a verdict computed from the measurements, and the evidence.
public struct DemoClaim: Sendable {
  public enum Verdict: String, Sendable {
    case holds = "holds here"
    case partly = "holds in part here"
    case doesNotHold = "does not show here"
  }

  public var title: String
  public var verdict: Verdict
  public var evidence: String
}

/// Computes the verdicts. Differences in accuracy are counted in test samples: the test part
/// has a few hundred samples, so a difference of one or two samples is noise, not a finding.
public enum DemoClaims {
  /// A gap or accuracy difference smaller than this many test samples is not counted.
  public static let noiseSamples = 2

  public static func evaluate(_ runs: [DemoRun], chosen: DemoRun?, testSamples: Int) -> [DemoClaim] {
    // The first recipe is the plain network (DemoRecipe.all), the reference of every claim.
    guard let plain = runs.first, plain.run.test != nil, plain.analysis != nil else {
      return [
        DemoClaim(
          title: "The seed note's claims", verdict: .doesNotHold,
          evidence:
            "The plain network (the first row) did not train, so there is nothing to compare the sparse ones against.")
      ]
    }
    let others = runs.dropFirst().filter { $0.run.test != nil && $0.analysis != nil }
    return [
      efficiency(plain: plain, chosen: chosen), interpretability(plain: plain, others: others),
      overfitting(plain: plain, others: others, testSamples: testSamples),
    ]
  }

  /// Computational efficiency: the speedup of the sparsest accurate model, compiled.
  static func efficiency(plain: DemoRun, chosen: DemoRun?) -> DemoClaim {
    let title = "Efficiency: zero activations need not be multiplied"
    guard let chosen, let one = chosen.batchOne, let work = chosen.work else {
      return DemoClaim(title: title, verdict: .doesNotHold, evidence: "No model was timed.")
    }
    let others = chosen.benchmarks.filter { $0.batch != 1 }.map {
      String(format: "%.2fx at batch %ld", $0.speedup, $0.batch)
    }
    var evidence = String(
      format:
        "The sparsest accurate model (%@) needs %.1f%% of the dense multiply-adds. Compiled, it ran %.2fx as fast as dense OpenBLAS at batch 1",
      chosen.recipe.name, work.fraction * 100, one.speedup)
    evidence += others.isEmpty ? "" : " and " + others.joined(separator: ", ")
    evidence +=
      one.denseAccuracy == one.sparseAccuracy
      ? String(
        format: ", with the same test accuracy (%.2f%%; largest relative difference of the outputs %.1e).",
        one.sparseAccuracy * 100, one.relativeError)
      : String(
        format: ", test accuracy %.2f%% dense and %.2f%% compiled (largest relative difference of the outputs %.1e).",
        one.denseAccuracy * 100, one.sparseAccuracy * 100, one.relativeError)
    if let plainOne = plain.batchOne, let plainWork = plain.work {
      evidence += String(
        format:
          " The plain ReLU network (%.0f%% zero activations, %.0f%% of the multiply-adds needed) gets %.2fx: the zeros pay only when most values are zero.",
        (plain.zeroFraction ?? 0) * 100, plainWork.fraction * 100, plainOne.speedup)
    }
    if let warning = MachineDescription.current.unfairBaselineWarning { evidence += " " + warning }
    let verdict: DemoClaim.Verdict = one.speedup >= 1.5 ? .holds : one.speedup > 1.05 ? .partly : .doesNotHold
    return DemoClaim(title: title, verdict: verdict, evidence: evidence)
  }

  /// Interpretability: fewer units active per input, units more tied to one class.
  static func interpretability(plain: DemoRun, others: [DemoRun]) -> DemoClaim {
    let title = "Interpretability: few units active per input, units tied to specific patterns"
    let sparser = others.filter { ($0.nearZeroFraction ?? 0) > (plain.nearZeroFraction ?? 0) + 0.1 }
    guard let plainActive = plain.activeFraction, let plainSelectivity = plain.meanSelectivity, !sparser.isEmpty else {
      return DemoClaim(
        title: title, verdict: .doesNotHold, evidence: "No model was clearly sparser than the plain ReLU network.")
    }
    let fewer = sparser.filter { ($0.activeFraction ?? .infinity) < plainActive }
    let moreSelective = sparser.filter { ($0.meanSelectivity ?? 0) > plainSelectivity + 0.02 }
    let rows = sparser.map { run in
      String(
        format: "%@ %.0f of %ld, selectivity %.2f", run.recipe.name, run.activeUnitsPerInput ?? .nan, run.unitsPerLayer,
        run.meanSelectivity ?? .nan)
    }
    let evidence =
      String(
        format:
          "Active units per input (|a| > %g, mean over the hidden layers) and mean class selectivity of the units active on 2%% or more of the images: plain ReLU %.0f of %ld, selectivity %.2f; ",
        DemoRun.epsilon, plain.activeUnitsPerInput ?? .nan, plain.unitsPerLayer, plainSelectivity)
      + rows.joined(separator: "; ")
      + ". Selectivity is (mu_max - mu_rest) / (mu_max + mu_rest) of a unit's mean activation per class: 1 = one class alone drives it."
    let verdict: DemoClaim.Verdict =
      fewer.count == sparser.count && moreSelective.count * 2 >= sparser.count
      ? .holds : fewer.isEmpty ? .doesNotHold : .partly
    return DemoClaim(title: title, verdict: verdict, evidence: evidence)
  }

  /// Less overfitting: a smaller train-test gap without losing test accuracy.
  static func overfitting(plain: DemoRun, others: [DemoRun], testSamples: Int) -> DemoClaim {
    let title = "Less overfitting: the model relies on few, important features"
    let point = 100 / Double(Swift.max(1, testSamples))
    guard let plainGap = plain.run.gapPoints, let plainTest = plain.run.test?.accuracy else {
      return DemoClaim(title: title, verdict: .doesNotHold, evidence: "The plain network was not measured.")
    }
    let noise = Double(noiseSamples) * point
    let better = others.filter { run in
      guard let gap = run.run.gapPoints, let test = run.run.test?.accuracy else { return false }
      return gap <= plainGap - noise && (test - plainTest) * 100 > -point / 2
    }
    let smallerOnly = others.filter {
      ($0.run.gapPoints ?? .infinity) <= plainGap - noise && !better.map(\.recipe.name).contains($0.recipe.name)
    }
    let wider = others.filter { ($0.run.gapPoints ?? -.infinity) >= plainGap + noise }
    let gaps = others.map { String(format: "%@ %.2f", $0.recipe.name, $0.run.gapPoints ?? .nan) }
    var evidence =
      String(
        format: "Gap = train - test accuracy in points (1 test image = %.2f points): plain ReLU %.2f; ", point, plainGap
      )
      + gaps.joined(separator: "; ") + ". "
    if !better.isEmpty {
      evidence +=
        better.map(\.recipe.name).joined(separator: ", ")
        + " shrank the gap by at least \(noiseSamples) test samples without losing test accuracy. "
    }
    if !smallerOnly.isEmpty {
      evidence +=
        smallerOnly.map(\.recipe.name).joined(separator: ", ")
        + " shrank the gap only by fitting the training data less well (lower test accuracy too). "
    }
    if better.isEmpty && smallerOnly.isEmpty {
      evidence +=
        "No technique shrank the gap by \(noiseSamples) or more test images: on these data every network fits the training set, and smaller differences are within the noise of one seed. "
    }
    if !wider.isEmpty {
      evidence +=
        wider.map(\.recipe.name).joined(separator: ", ") + " widened it by \(noiseSamples) or more test images."
    }
    let verdict: DemoClaim.Verdict = better.count >= 2 ? .holds : better.count == 1 ? .partly : .doesNotHold
    return DemoClaim(title: title, verdict: verdict, evidence: evidence.trimmingCharacters(in: .whitespaces))
  }
}
