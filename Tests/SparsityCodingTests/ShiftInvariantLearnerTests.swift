import Foundation
import SparsityCore
import Testing

@testable import SparsityCoding

/// Learning shift-invariant atoms: the Toeplitz solve, the exactness of the least-squares
/// update, reproducibility, and the recovery of planted atoms from a long signal.
@Suite struct ShiftInvariantLearnerTests {
  static let u = 0x1p-24

  /// Levinson's recursion against Gaussian elimination on a diagonally dominant symmetric
  /// Toeplitz matrix (rho_0 >= 2 sum |rho_d| + 1 gives eigenvalues in [1, 2 rho_0] by
  /// Gershgorin, so kappa <= 2 rho_0); both are backward stable here (Cybenko 1980), so the
  /// solutions agree within a few n kappa 2^-52 relative.
  @Test(arguments: [1, 2, 3, 17, 128])
  func toeplitzSolveMatchesDense(n: Int) {
    var generator = Xoshiro256StarStar(seed: UInt64(n))
    var column = (0..<n).map { _ in Double(generator.normal()) }
    column[0] = 2 * column.dropFirst().reduce(0) { $0 + abs($1) } + 1
    let b = (0..<n).map { _ in Double(generator.normal()) }
    let x = solveSymmetricToeplitz(column: column, b)
    var m = (0..<n).map { i in (0..<n).map { column[abs(i - $0)] } }
    var y = b
    for p in 0..<n {
      for r in (p + 1)..<n {
        let f = m[r][p] / m[p][p]
        for c in p..<n { m[r][c] -= f * m[p][c] }
        y[r] -= f * y[p]
      }
    }
    for p in stride(from: n - 1, through: 0, by: -1) {
      for c in (p + 1)..<n { y[p] -= m[p][c] * y[c] }
      y[p] /= m[p][p]
    }
    let kappa = 2 * column[0]
    let error = zip(x, y).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    let norm = y.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
    #expect(error <= 8 * Double(n) * kappa * 0x1p-52 * norm)
  }

  /// One atom whose spikes overlap each other, times and amplitudes known: the least-squares
  /// update (ridge 0) is the exact minimizer over the atom, so it lands on the planted atom from
  /// any start. The error is the residual's Float rounding e (at most u (||x|| + sum |a|) per
  /// sample window) through g = sum a_s e_s and A^{-1}, ||A^{-1}|| <= 1 / (rho_0 - 2 sum |rho_d|).
  @Test func leastSquaresUpdateIsExactForOneAtom() {
    let l = 64
    let truth = ShiftInvariantFixture.atoms([ShiftInvariantFixture.chirp(from: 1500, to: 5000, length: l)])
    var generator = Xoshiro256StarStar(seed: 5)
    let spikes = (0..<40).map { i in
      Spike(
        atom: 0, time: 100 * i + Int(generator.next(upperBound: UInt64(60))), amplitude: generator.uniform(in: 1...2))
    }
    let x = ShiftInvariantCode.synthesize(spikes, atoms: truth, length: 4200)
    let settings = ShiftInvariantLearningSettings(
      atoms: 1, atomLength: l, segmentLength: 4200, stoppingRule: .spikes(.total(1)),
      update: .leastSquares(ridge: 0), resampleUnusedAtoms: false)
    let learner = ShiftInvariantLearner(settings: settings)
    learner.initialize(from: [x.map { _ in generator.normal() }])  // a random start
    let start = learner.atoms
    let model = ShiftInvariantCode.synthesize(spikes, atoms: start, length: x.count)
    var codes = [
      ShiftInvariantCode(
        spikes: spikes, residual: zip(x, model).map { $0 - $1 }, signalEnergy: 0, residualEnergy: 0,
        stopReason: .spikeLimit)
    ]
    let unused = learner.updateAtoms(codes: &codes)
    #expect(unused.isEmpty)
    let rho = learner.autocorrelation(
      spikes.map { PlacedSpike(segment: 0, time: $0.time, amplitude: Double($0.amplitude)) })
    let lowest = rho[0] - 2 * rho.dropFirst().reduce(0) { $0 + abs($1) }
    #expect(lowest > 0, "fixture must be diagonally dominant")
    let amplitudes = spikes.reduce(0.0) { $0 + Double($1.amplitude) }
    let xNorm = x.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
    let gError = amplitudes * Self.u * 4 * (xNorm + amplitudes) * Double(l).squareRoot()
    let learned = learner.atoms
    let error = (0..<l).reduce(0.0) { $0 + pow(Double(learned[0, $1] - truth[0, $1]), 2) }.squareRoot()
    #expect(error <= 2 * gError / lowest + 2 * Self.u * Double(l).squareRoot(), "error \(error)")
  }

  /// The gradient update of Smith and Lewicki moves each atom to (h + eta g) / ||h + eta g|| (eta = 1/8, exact),
  /// g = sum_s a_s r[t_s ..< t_s + L], from the same residual for every atom.
  @Test func gradientUpdateFollowsTheResidual() {
    let l = 16
    var generator = Xoshiro256StarStar(seed: 12)
    let residual = (0..<200).map { _ in generator.normal() }
    let spikes = [
      Spike(atom: 0, time: 3, amplitude: 1.5), Spike(atom: 1, time: 50, amplitude: -2),
      Spike(atom: 0, time: 90, amplitude: 0.5),
    ]
    let settings = ShiftInvariantLearningSettings(
      atoms: 2, atomLength: l, segmentLength: 200, stoppingRule: .spikes(.total(1)),
      update: .gradient(learningRate: 0.125), centerAtoms: false)
    let learner = ShiftInvariantLearner(settings: settings)
    learner.initialize(from: [residual])
    let start = learner.storage
    var codes = [
      ShiftInvariantCode(
        spikes: spikes, residual: residual, signalEnergy: 0, residualEnergy: 0, stopReason: .spikeLimit)
    ]
    _ = learner.updateAtoms(codes: &codes)
    for atom in 0..<2 {
      var moved = (0..<l).map { start[atom * l + $0] }
      for spike in spikes where spike.atom == atom {
        for i in 0..<l { moved[i] += 0.125 * Double(spike.amplitude) * Double(residual[spike.time + i]) }
      }
      let norm = moved.reduce(0) { $0 + $1 * $1 }.squareRoot()
      for i in 0..<l { #expect(abs(learner.storage[atom * l + i] - moved[i] / norm) <= 1e-12) }
    }
  }

  /// The learning estimate covers one pursuit per core and every segment's code.
  @Test func memoryEstimate() {
    let settings = Self.settings(atoms: 32, iterations: 1, seed: 0)
    let estimate = MemoryEstimate.shiftInvariantLearning(settings, spikesPerSegment: 1000).bytes ?? 0
    #expect(estimate >= 4 * 32 * (16_000 - Self.l + 1) + 4 * 16_000 * settings.segmentsPerIteration)
  }

  /// Same seed, same atoms, bit for bit (segments are coded on several threads).
  @Test func sameSeedSameAtoms() {
    let planted = Self.plantedSignal(seconds: 2, seed: 6)
    let settings = Self.settings(atoms: 6, iterations: 3, seed: 9)
    let (a, b) = (ShiftInvariantLearner(settings: settings), ShiftInvariantLearner(settings: settings))
    a.fit([planted])
    b.fit([planted])
    #expect(a.atoms == b.atoms && a.history == b.history && a.history.count == 3)
  }

  /// From atoms that are seeded random windowed segments of the signal, learning 8 atoms on a
  /// signal of 8 s made of random placements (about 90 per second, overlaps allowed) of 6
  /// planted atoms (centered in the window, as the learner centers its atoms), each planted atom
  /// is matched by a learned one with |cosine| > 0.9 at some shift |d| <= 8. The objective
  /// cannot tell an atom from its shift within the window, nor from its negative, and centering
  /// fixes the shift only to within a sample or so: the score is max over |d| <= 8 of
  /// |sum_i p[i] q[i + d]| for the unit-norm atoms p, q. Two spare atoms let the learning escape
  /// the local minima where one learned atom holds halves of two planted ones.
  @Test func recoversPlantedAtoms() {
    let signal = Self.plantedSignal(seconds: 8, seed: 10)
    let learner = ShiftInvariantLearner(settings: Self.settings(atoms: 8, iterations: 150, seed: 11))
    learner.fit([signal])
    let (planted, learned) = (Self.plantedAtoms, learner.atoms)
    for p in 0..<planted.rows {
      let best = (0..<learned.rows).map { Self.shiftedCosine(planted, p, learned, $0, maxShift: 8) }.max()!
      #expect(best > 0.9, "planted atom \(p): best |cosine| \(best)")
    }
    let history = learner.history
    #expect(history.count == 150 && history.last!.signalToResidualDecibels > history.first!.signalToResidualDecibels)
  }

  static let l = 128
  static let plantedAtoms = ShiftInvariantFixture.atoms(
    [
      ShiftInvariantFixture.gammatone(frequency: 1500, length: l),
      ShiftInvariantFixture.gammatone(frequency: 3200, length: l),
      ShiftInvariantFixture.gammatone(frequency: 5000, length: l),
      ShiftInvariantFixture.chirp(from: 1000, to: 4000, length: l),
      ShiftInvariantFixture.chirp(from: 6000, to: 2500, length: l),
      ShiftInvariantFixture.chirp(from: 2500, to: 7000, length: l),
    ].map(ShiftInvariantFixture.centered))

  /// Random placements of the planted atoms (uniform times, amplitudes +-[1, 3]) plus noise of
  /// standard deviation 0.01.
  static func plantedSignal(seconds: Int, seed: UInt64) -> [Float] {
    let n = seconds * 16_000
    var generator = Xoshiro256StarStar(seed: seed)
    let spikes = (0..<(seconds * 90)).map { _ in
      let sign: Float = generator.nextUnitFloat() < 0.5 ? -1 : 1
      return Spike(
        atom: Int(generator.next(upperBound: UInt64(6))), time: Int(generator.next(upperBound: UInt64(n - l + 1))),
        amplitude: sign * generator.uniform(in: 1...3))
    }
    return ShiftInvariantCode.synthesize(spikes, atoms: plantedAtoms, length: n).map { $0 + 0.01 * generator.normal() }
  }

  static func settings(atoms: Int, iterations: Int, seed: UInt64) -> ShiftInvariantLearningSettings {
    ShiftInvariantLearningSettings(
      atoms: atoms, atomLength: l, segmentLength: 16_000, segmentsPerIteration: 4, iterations: iterations,
      stoppingRule: PursuitStoppingRule(spikeLimit: .perSecond(180, sampleRate: 16_000), signalToResidualDecibels: 20),
      seed: seed)
  }

  /// max over |d| <= maxShift of |sum_i p[i] q[i + d]| for rows of unit-norm atoms.
  static func shiftedCosine(_ a: Tensor, _ p: Int, _ b: Tensor, _ q: Int, maxShift: Int) -> Double {
    let l = a.columns
    return (-maxShift...maxShift).map { d in
      abs((max(0, -d)..<min(l, l - d)).reduce(0.0) { $0 + Double(a[p, $1]) * Double(b[q, $1 + d]) })
    }.max()!
  }
}
