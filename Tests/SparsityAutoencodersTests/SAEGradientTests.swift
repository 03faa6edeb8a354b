import Foundation
import SparsityCore
import Testing

@testable import SparsityAutoencoders

/// The sparse backward pass against central finite differences of a loss computed from
/// scratch in Double: every parameter of every objective, with AuxK on, on odd shapes.
@Suite struct SAEGradientTests {
  static let (rows, inputs, latents) = (7, 5, 13)

  /// Random parameters (unit-norm decoder rows, tied encoder plus noise) and rows.
  static func problem(seed: UInt64, thresholds: Bool) -> (SAEParameters, [Float]) {
    var generator = Xoshiro256StarStar(seed: seed)
    var p = SAEParameters(latents: latents, inputs: inputs, thresholds: thresholds)
    for e in p.decoder.indices { p.decoder[e] = generator.normal() * 0.6 }
    for e in p.encoder.indices { p.encoder[e] = p.decoder[e] + generator.normal() * 0.3 }
    for e in p.encoderBias.indices { p.encoderBias[e] = generator.normal() * 0.1 }
    for e in p.decoderBias.indices { p.decoderBias[e] = generator.normal() * 0.2 }
    for e in p.logThresholds.indices { p.logThresholds[e] = log(0.05 + generator.nextUnitFloat() * 0.2) }
    let x = (0..<(rows * inputs)).map { _ in generator.normal() }
    return (p, x)
  }

  /// The loss in Double, the code chosen afresh; AuxK's residual is `frozen` when given (it is
  /// a constant in the gradient) and returned.
  static func referenceLoss(
    _ p: SAEParameters, _ x: [Float], objective: SAEObjective, dead: [Int], auxK: Int, auxCoefficient: Double,
    frozen: [Double]?
  ) -> (loss: Double, residual: [Double]) {
    let (b, d, n) = (rows, inputs, latents)
    var pre = [Double](repeating: 0, count: b * n)
    for r in 0..<b {
      for j in 0..<n {
        var total = Double(p.encoderBias[j])
        for c in 0..<d { total += Double(p.encoder[j * d + c]) * (Double(x[r * d + c]) - Double(p.decoderBias[c])) }
        pre[r * n + j] = total
      }
    }
    var keep = [Bool](repeating: false, count: b * n)
    switch objective {
    case .l1: for e in keep.indices { keep[e] = pre[e] > 0 }
    case .topK(let k):
      for r in 0..<b {
        let order = (0..<n).sorted { pre[r * n + $0] > pre[r * n + $1] }
        for j in order.prefix(k) where pre[r * n + j] > 0 { keep[r * n + j] = true }
      }
    case .batchTopK(let k):
      let order = (0..<(b * n)).sorted { pre[$0] > pre[$1] }
      for e in order.prefix(k * b) where pre[e] > 0 { keep[e] = true }
    case .jumpReLU:
      for r in 0..<b { for j in 0..<n { keep[r * n + j] = pre[r * n + j] > exp(Double(p.logThresholds[j])) } }
    }
    var out = [Double](repeating: 0, count: b * d)
    for r in 0..<b {
      for c in 0..<d {
        var total = Double(p.decoderBias[c])
        for j in 0..<n where keep[r * n + j] { total += pre[r * n + j] * Double(p.decoder[j * d + c]) }
        out[r * d + c] = total
      }
    }
    func fvu(_ target: [Double], _ estimate: [Double]) -> Double {
      var (error, mean, squares) = (0.0, [Double](repeating: 0, count: d), 0.0)
      for e in target.indices {
        error += (target[e] - estimate[e]) * (target[e] - estimate[e])
        mean[e % d] += target[e]
        squares += target[e] * target[e]
      }
      return error / (squares - mean.reduce(0) { $0 + $1 * $1 } / Double(b))
    }
    let xs = x.map(Double.init)
    var loss = fvu(xs, out)
    switch objective {
    case .l1(let coefficient):
      for r in 0..<b {
        for j in 0..<n where keep[r * n + j] {
          let norm = (0..<d).reduce(0.0) { $0 + Double(p.decoder[j * d + $1]) * Double(p.decoder[j * d + $1]) }
          loss += Double(coefficient) / Double(b) * pre[r * n + j] * norm.squareRoot()
        }
      }
    case .jumpReLU(let coefficient, _):
      loss += Double(coefficient) * Double(keep.filter { $0 }.count) / Double(b)
    case .topK, .batchTopK: break
    }
    let residual = frozen ?? zip(xs, out).map { $0 - $1 }
    if objective.usesAuxK && !dead.isEmpty {
      var auxOut = [Double](repeating: 0, count: b * d)
      for r in 0..<b {
        let order = dead.sorted { pre[r * n + $0] > pre[r * n + $1] }
        for j in order.prefix(auxK) where pre[r * n + j] > 0 {
          for c in 0..<d { auxOut[r * d + c] += pre[r * n + j] * Double(p.decoder[j * d + c]) }
        }
      }
      loss += auxCoefficient * fvu(residual, auxOut)
    }
    return (loss, residual)
  }

  static let objectives: [SAEObjective] = [
    .topK(k: 3), .batchTopK(k: 2), .l1(coefficient: 0.3), .jumpReLU(coefficient: 0.1, bandwidth: 0.01),
  ]

  @Test(arguments: objectives)
  func gradientsMatchFiniteDifferences(objective: SAEObjective) {
    let thresholds: Bool = { if case .jumpReLU = objective { true } else { false } }()
    let (p, x) = Self.problem(seed: 11, thresholds: thresholds)
    let dead = [1, 4, 6, 9, 12]
    let (auxK, auxCoefficient) = (2, Float(0.5))
    var step = SAEGradient(
      objective: objective, latents: Self.latents, inputs: Self.inputs, auxK: auxK, auxCoefficient: auxCoefficient)
    var g = SAEParameters(latents: Self.latents, inputs: Self.inputs, thresholds: thresholds)
    let loss = x.withUnsafeBufferPointer {
      step.compute(p, batch: $0.baseAddress!, rows: Self.rows, dead: dead.map(Int32.init), into: &g)
    }
    let base = Self.referenceLoss(
      p, x, objective: objective, dead: dead, auxK: auxK, auxCoefficient: Double(auxCoefficient), frozen: nil)
    #expect(abs(loss.total - base.loss) < 1e-5 * Swift.max(1, base.loss), "loss \(loss.total) vs \(base.loss)")
    let h: Float = 1e-3
    func difference(_ change: (inout SAEParameters, Float) -> Void) -> Double {
      var (plus, minus) = (p, p)
      change(&plus, h)
      change(&minus, -h)
      let up = Self.referenceLoss(
        plus, x, objective: objective, dead: dead, auxK: auxK, auxCoefficient: Double(auxCoefficient),
        frozen: base.residual)
      let down = Self.referenceLoss(
        minus, x, objective: objective, dead: dead, auxK: auxK, auxCoefficient: Double(auxCoefficient),
        frozen: base.residual)
      return (up.loss - down.loss) / Double(2 * h)
    }
    let parts: [(String, [Float], WritableKeyPath<SAEParameters, [Float]>)] = [
      ("encoder", g.encoder, \.encoder), ("encoderBias", g.encoderBias, \.encoderBias),
      ("decoder", g.decoder, \.decoder), ("decoderBias", g.decoderBias, \.decoderBias),
    ]
    for (name, analytic, path) in parts {
      let numeric = analytic.indices.map { e in difference { $0[keyPath: path][e] += $1 } }
      let error = zip(analytic, numeric).map { (Double($0) - $1) * (Double($0) - $1) }.reduce(0, +).squareRoot()
      let scale = numeric.map { $0 * $0 }.reduce(0, +).squareRoot()
      #expect(error <= 1e-3 * Swift.max(scale, 1e-3), "\(objective) \(name): error \(error), norm \(scale)")
    }
  }

  @Test func jumpReLUThresholdGradientIsTheStraightThroughEstimate() {
    let (p, x) = Self.problem(seed: 5, thresholds: true)
    let (coefficient, bandwidth): (Float, Float) = (0.1, 0.2)
    var step = SAEGradient(
      objective: .jumpReLU(coefficient: coefficient, bandwidth: bandwidth), latents: Self.latents,
      inputs: Self.inputs, auxK: 0, auxCoefficient: 0)
    var g = SAEParameters(latents: Self.latents, inputs: Self.inputs, thresholds: true)
    _ = x.withUnsafeBufferPointer { step.compute(p, batch: $0.baseAddress!, rows: Self.rows, dead: [], into: &g) }
    // The same estimate from dense loops: the rectangle kernel around each threshold.
    let (b, d, n) = (Self.rows, Self.inputs, Self.latents)
    var expected = [Double](repeating: 0, count: n)
    let thresholds = p.logThresholds.map { exp(Double($0)) }
    var pre = [Double](repeating: 0, count: b * n)
    for r in 0..<b {
      for j in 0..<n {
        pre[r * n + j] =
          Double(p.encoderBias[j])
          + (0..<d).reduce(0.0) { $0 + Double(p.encoder[j * d + $1]) * Double(x[r * d + $1] - p.decoderBias[$1]) }
      }
    }
    var out = [Double](repeating: 0, count: b * d)
    for r in 0..<b {
      for c in 0..<d {
        out[r * d + c] =
          Double(p.decoderBias[c])
          + (0..<n).filter { pre[r * n + $0] > thresholds[$0] }.reduce(0.0) {
            $0 + pre[r * n + $1] * Double(p.decoder[$1 * d + c])
          }
      }
    }
    let xs = x.map(Double.init)
    let means = (0..<d).map { c in (0..<b).reduce(0.0) { $0 + xs[$1 * d + c] } / Double(b) }
    let variance = xs.indices.reduce(0.0) { $0 + (xs[$1] - means[$1 % d]) * (xs[$1] - means[$1 % d]) }
    for r in 0..<b {
      for j in 0..<n where abs(pre[r * n + j] - thresholds[j]) < Double(bandwidth) / 2 {
        let dz = (0..<d).reduce(0.0) {
          $0 + 2 * (out[r * d + $1] - xs[r * d + $1]) / variance * Double(p.decoder[j * d + $1])
        }
        expected[j] += dz * -thresholds[j] / Double(bandwidth) - Double(coefficient) / (Double(b) * Double(bandwidth))
      }
    }
    #expect(expected.contains { $0 != 0 }, "some pre-activations fall in the window")
    for j in 0..<n {
      let value = expected[j] * thresholds[j]
      #expect(abs(Double(g.logThresholds[j]) - value) <= 1e-4 * Swift.max(1, abs(value)), "latent \(j)")
    }
  }
}
