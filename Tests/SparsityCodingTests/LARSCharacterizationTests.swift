import SparsityCore
import Testing

@testable import SparsityCoding

/// Pins the exact output of the two LARS-Lasso solvers (minimizers of
/// 0.5 ||x - a D||^2 + lambda ||a||_1, a >= 0 when positive): a hash of the bit patterns of every
/// code entry, the step counts and convergence flags, and for `MixedPrecisionLARSSolver` the
/// residual correlation q it returns and its fallback count, on seeded problems that exercise
/// joins, leaves (coefficients crossing zero), full active sets (failed Cholesky appends, mixed
/// fallbacks), the sign constraint, a dependent atom and atom counts that are not a multiple of
/// the SIMD widths.
///
/// G = D D^T and c = D x^T are formed here in plain `Float` loops, not by BLAS, so the pinned
/// bits do not depend on the BLAS kernel. A change to the solvers' arithmetic on purpose changes
/// these hashes: re-record them from the failure messages, after checking the codes still pass
/// `MixedPrecisionLARSSolverTests` and `SolverAgreementTests`.
@Suite struct LARSCharacterizationTests {
  struct Case: Sendable, CustomStringConvertible {
    var atoms: Int, features: Int, lambda: Double, positive: Bool, samples = 40
    /// When set, atom `dependent` is the normalized sum of atoms 0 and 1 (exactly dependent: its
    /// join step with both active is mu itself, so the path never takes it).
    var dependent: Int? = nil
    var exact: String
    var mixed: String
    var description: String { "\(atoms) atoms x \(features) features, lambda \(lambda), positive \(positive)" }
  }

  static let cases = [
    Case(
      atoms: 256, features: 64, lambda: 0.5, positive: false, samples: 400,
      exact: "8348624fa5d9043 1038 0", mixed: "1b7f6521fa6a7182 1038 0"),
    Case(  // active sets fill all 64 dimensions: appends fail, the mixed solver falls back
      atoms: 128, features: 64, lambda: 0.02, positive: false, samples: 400,
      exact: "d2705defe4e2af10 7799 2", mixed: "dd9fa636fd1ab566 7800 3"),
    Case(
      atoms: 48, features: 32, lambda: 0.05, positive: false,
      exact: "5eb5844f8a6ec282 304 0", mixed: "1369b88234d148b5 304 0"),
    Case(
      atoms: 37, features: 20, lambda: 0.01, positive: false,
      exact: "c21efa03ff4fbc7e 146 0", mixed: "87819ba31eed434c 146 0"),
    Case(
      atoms: 70, features: 8, lambda: 0.01, positive: true,
      exact: "ebd71bc819b362c8 32 0", mixed: "ef01c9548cb94198 32 0"),
    Case(
      atoms: 17, features: 40, lambda: 0.2, positive: true,
      exact: "2eac00c54fdc258d 1 0", mixed: "37cbfd4a19376d2b 1 0"),
    Case(
      atoms: 24, features: 12, lambda: 0.001, positive: false, samples: 100, dependent: 5,
      exact: "70700a005e309df8 204 0", mixed: "9ac68859ca584858 204 0"),
    Case(
      atoms: 1, features: 3, lambda: 0.1, positive: false,
      exact: "749b2ac085de5346 0 0", mixed: "eb4c7dd75fa7b533 0 0"),
  ]

  /// FNV-1a over 64-bit words.
  struct Fingerprint {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    mutating func add(_ word: UInt64) {
      hash = (hash ^ word) &* 0x0000_0100_0000_01b3
    }
    mutating func add(_ values: [Double]) { for v in values { add(v.bitPattern) } }
  }

  /// Runs both solvers on seeded samples; returns "hash leaves unconverged" for the exact solver and
  /// "hash leaves fallbacks" for the mixed one, leaves = sum over converged samples of
  /// (steps - nonzeros) / 2 (each step is one join or one leave after the first join).
  static func run(_ c: Case) -> (exact: String, mixed: String) {
    let d = dictionary(c)
    let x = CodingFixture.samples(c.samples, features: c.features, seed: 82)
    let single = singleGram(d)
    let gram = single.map(Double.init)
    let exact = LARSSolver(atoms: c.atoms, maxActive: min(c.atoms, c.features))
    let mixed = MixedPrecisionLARSSolver(atoms: c.atoms, maxActive: min(c.atoms, c.features))
    var (e, m) = (Fingerprint(), Fingerprint())
    var (exactLeaves, mixedLeaves, unconverged) = (0, 0, 0)
    var q = [Double](repeating: 0, count: c.atoms)
    for i in 0..<x.rows {
      let correlation = (0..<c.atoms).map { k in
        Double((0..<c.features).reduce(Float(0)) { $0 + d[k, $1] * x[i, $1] })
      }
      let (es, ms) = gram.withUnsafeBufferPointer { g in
        single.withUnsafeBufferPointer { sg in
          correlation.withUnsafeBufferPointer { cc in
            let sample = SampleLasso(
              gram: g, singleGram: sg, correlation: cc, squaredNorm: 0, lambda: c.lambda, positive: c.positive)
            let es = exact.solve(sample)
            let ms = q.withUnsafeMutableBufferPointer { mixed.solve(sample, residualCorrelation: $0.baseAddress!) }
            return (es, ms)
          }
        }
      }
      exactLeaves += leaves(es)
      unconverged += es.converged ? 0 : 1
      mixedLeaves += leaves(ms)
      e.add(es.code)
      e.add(UInt64(es.iterations) << 1 | (es.converged ? 1 : 0))
      m.add(ms.code)
      m.add(q)
      m.add(UInt64(ms.iterations) << 1 | (ms.converged ? 1 : 0))
    }
    let hex = { (f: Fingerprint) in String(f.hash, radix: 16) }
    return ("\(hex(e)) \(exactLeaves) \(unconverged)", "\(hex(m)) \(mixedLeaves) \(mixed.fallbackCount)")
  }

  /// The seeded unit-norm dictionary of `c`, with its dependent atom if any.
  static func dictionary(_ c: Case) -> Tensor {
    var d = CodingFixture.dictionary(atoms: c.atoms, features: c.features, seed: 81)
    if let t = c.dependent {
      var norm: Float = 0
      for j in 0..<c.features { norm += (d[0, j] + d[1, j]) * (d[0, j] + d[1, j]) }
      for j in 0..<c.features { d[t, j] = (d[0, j] + d[1, j]) / norm.squareRoot() }
    }
    return d
  }

  /// G = D D^T in Float, summed left to right and exactly symmetric.
  static func singleGram(_ d: Tensor) -> [Float] {
    var g = [Float](repeating: 0, count: d.rows * d.rows)
    for i in 0..<d.rows {
      for j in i..<d.rows {
        var s: Float = 0
        for f in 0..<d.columns { s += d[i, f] * d[j, f] }
        g[i * d.rows + j] = s
        g[j * d.rows + i] = s
      }
    }
    return g
  }

  /// (steps - nonzeros) / 2 of a converged solution, else 0.
  static func leaves(_ solution: SampleSolution) -> Int {
    solution.converged ? (solution.iterations - solution.code.filter { $0 != 0 }.count) / 2 : 0
  }

  @Test(arguments: cases)
  func codesAreBitwiseAsRecorded(_ c: Case) {
    let (exact, mixed) = Self.run(c)
    #expect(exact == c.exact, "\(c): LARSSolver \(exact)")
    #expect(mixed == c.mixed, "\(c): MixedPrecisionLARSSolver \(mixed)")
  }
}
