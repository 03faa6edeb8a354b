import Foundation
import SparsityCore

/// Learns K shift-invariant atoms of L samples from sound, as Smith and Lewicki (2006) learned
/// their auditory kernels: each iteration codes seeded random segments of the training signals
/// with `ShiftInvariantPursuit` (matching pursuit over every shift), then, with the spikes held
/// fixed, moves each atom to lower the residual energy of those segments,
///
///     min over h_k of  sum_segments 0.5 || x - sum_s a_s h_{k_s}[. - t_s] ||^2,   ||h_k|| = 1,
///
/// by the update `settings.update` names (the least-squares block update by default), and scales
/// it back to unit norm. `history` records, per iteration, the signal-to-residual ratio of the
/// coded segments before the update: it rises as the atoms fit.
///
/// Atoms are found up to a shift within the window and a sign, as the objective cannot tell a
/// spike of h at t from a spike of h shifted by d at t - d when h is zero where the shift cuts it;
/// with `settings.centerAtoms` each atom is moved so that its energy centroid is the window's
/// center after every update, which pins the shift down to about a sample. Atoms no spike used
/// are replaced by residual segments (`settings.resampleUnusedAtoms`). A few atoms more than the
/// signal's sources help the learning out of local minima where one atom holds parts of two.
///
/// - Complexity: per iteration, the codes of the segments (see `ShiftInvariantPursuit`), and the
///   update O(spikes L + K L^2) (least squares) or O(spikes L) (gradient).
/// Reference: E. C. Smith and M. S. Lewicki, "Efficient auditory coding", Nature 439 (2006);
/// M. S. Lewicki and T. J. Sejnowski, "Coding time-varying signals using sparse, shift-invariant
/// representations", NIPS 11 (1999).
public final class ShiftInvariantLearner {
  /// The settings this learner was made with.
  public let settings: ShiftInvariantLearningSettings
  /// What each iteration since the last `initialize` did.
  public internal(set) var history: [ShiftInvariantLearningIteration] = []
  /// h_k, K x L row-major, unit-norm rows, in Double; empty before initialization.
  var storage: [Double] = []
  var generator: Xoshiro256StarStar

  /// A learner with `settings`; `fit` initializes from its signals unless `initialize` ran.
  public init(settings: ShiftInvariantLearningSettings) {
    self.settings = settings
    generator = Xoshiro256StarStar(seed: settings.seed)
  }

  /// Whether atoms exist.
  public var isInitialized: Bool { !storage.isEmpty }

  /// The atoms h_k, K x L, unit-norm rows.
  public var atoms: Tensor {
    precondition(isInitialized, "ShiftInvariantLearner.atoms: not initialized")
    return Tensor(shape: [settings.atoms, settings.atomLength], scalars: storage.map { Float($0) })
  }

  /// Starts over from atoms drawn as `settings.initialization` says (segments of `signals`, or
  /// noise), resetting the history and the generator to the seed.
  /// - Complexity: O(K L).
  public func initialize(from signals: [[Float]]) {
    generator = Xoshiro256StarStar(seed: settings.seed)
    let (k, l) = (settings.atoms, settings.atomLength)
    storage = [Double](repeating: 0, count: k * l)
    let usable = signals.indices.filter { signals[$0].count >= l }
    if settings.initialization == .signalSegments && !usable.isEmpty {
      let window = Self.hannWindow(l)
      for atom in 0..<k {
        let signal = signals[usable[Int(generator.next(upperBound: UInt64(usable.count)))]]
        let start = Int(generator.next(upperBound: UInt64(signal.count - l + 1)))
        for i in 0..<l { storage[atom * l + i] = Double(signal[start + i]) * window[i] }
      }
    }
    for atom in 0..<k { normalize(atom) }
    history = []
  }

  /// Starts over from `atoms` (K x L; rows scaled to unit norm, zero rows become noise).
  public func initialize(atoms: Tensor) {
    precondition(
      atoms.shape == [settings.atoms, settings.atomLength],
      "ShiftInvariantLearner.initialize: atoms \(atoms.shape), expected \([settings.atoms, settings.atomLength])")
    generator = Xoshiro256StarStar(seed: settings.seed)
    storage = atoms.scalars.map { Double($0) }
    for atom in 0..<settings.atoms { normalize(atom) }
    history = []
  }

  /// Runs `settings.iterations` iterations on `signals` (initializing from them first if needed),
  /// calling `progress` after each.
  public func fit(_ signals: [[Float]], progress: ((ShiftInvariantLearningIteration) -> Void)? = nil) {
    if !isInitialized { initialize(from: signals) }
    for _ in 0..<settings.iterations {
      let record = step(signals)
      progress?(record)
    }
  }

  /// One iteration: codes `settings.segmentsPerIteration` seeded random segments of `signals`
  /// with the current atoms, then updates every atom. Returns (and appends to `history`) the
  /// coded segments' signal-to-residual ratio, spike count and resampled atoms.
  @discardableResult
  public func step(_ signals: [[Float]]) -> ShiftInvariantLearningIteration {
    if !isInitialized { initialize(from: signals) }
    let segments = drawSegments(signals)
    var codes = code(segments)
    let (signalEnergy, residualEnergy) = codes.reduce((0.0, 0.0)) { ($0.0 + $1.signalEnergy, $0.1 + $1.residualEnergy) }
    let unused = updateAtoms(codes: &codes)
    if settings.centerAtoms {
      for atom in 0..<settings.atoms { center(atom) }
    }
    let resampled = settings.resampleUnusedAtoms ? resample(unused, codes: codes) : 0
    let record = ShiftInvariantLearningIteration(
      signalToResidualDecibels: residualEnergy > 0 ? 10 * log10(signalEnergy / residualEnergy) : .infinity,
      spikes: codes.reduce(0) { $0 + $1.spikes.count }, resampledAtoms: resampled)
    history.append(record)
    return record
  }

  /// Seeded random segments of `settings.segmentLength` samples (whole signals when shorter),
  /// each position equally likely over all signals at least L long.
  func drawSegments(_ signals: [[Float]]) -> [[Float]] {
    let (l, length) = (settings.atomLength, settings.segmentLength)
    let usable = signals.filter { $0.count >= l }
    precondition(!usable.isEmpty, "ShiftInvariantLearner: no training signal has the \(l) samples of an atom")
    let positions = usable.map { Swift.max(1, $0.count - length + 1) }
    let total = positions.reduce(0, +)
    return (0..<settings.segmentsPerIteration).map { _ in
      var pick = Int(generator.next(upperBound: UInt64(total)))
      var index = 0
      while pick >= positions[index] {
        pick -= positions[index]
        index += 1
      }
      let signal = usable[index]
      return signal.count <= length ? signal : Array(signal[pick..<(pick + length)])
    }
  }

  /// The codes of `segments` over the current atoms, segments split over the cores (each
  /// coded on one thread).
  func code(_ segments: [[Float]]) -> [ShiftInvariantCode] {
    let pursuit = ShiftInvariantPursuit(atoms: atoms)
    let rule = settings.stoppingRule
    var codes = [ShiftInvariantCode?](repeating: nil, count: segments.count)
    codes.withUnsafeMutableBufferPointer { out in
      let out = out.baseAddress!
      Parallel.forEachChunk(of: segments.count) { range in
        Parallel.withThreadCount(1) {
          for index in range { out[index] = pursuit.encode(segments[index], stoppingAt: rule) }
        }
      }
    }
    return codes.map { $0! }
  }

  /// Scales atom k to unit norm; a zero (or non-finite) atom becomes Gaussian noise first.
  func normalize(_ atom: Int) {
    let l = settings.atomLength
    var norm = (0..<l).reduce(0.0) { $0 + storage[atom * l + $1] * storage[atom * l + $1] }
    while !(norm > 0 && norm.isFinite) {
      for i in 0..<l { storage[atom * l + i] = Double(generator.normal()) }
      norm = (0..<l).reduce(0.0) { $0 + storage[atom * l + $1] * storage[atom * l + $1] }
    }
    let scale = 1 / norm.squareRoot()
    for i in 0..<l { storage[atom * l + i] *= scale }
  }

  /// Shifts atom k so that its energy centroid is within half a sample of (L - 1) / 2 (zeros
  /// fill in), then scales it to unit norm.
  func center(_ atom: Int) {
    let l = settings.atomLength
    let row = Array(storage[(atom * l)..<((atom + 1) * l)])
    let energy = row.reduce(0) { $0 + $1 * $1 }
    guard energy > 0 else { return }
    let centroid = row.indices.reduce(0.0) { $0 + Double($1) * row[$1] * row[$1] } / energy
    let shift = Int((centroid - Double(l - 1) / 2).rounded())
    guard shift != 0 else { return }
    for i in 0..<l { storage[atom * l + i] = i + shift >= 0 && i + shift < l ? row[i + shift] : 0 }
    normalize(atom)
  }

  /// The periodic Hann window 0.5 - 0.5 cos(2 pi i / L).
  static func hannWindow(_ l: Int) -> [Double] {
    (0..<l).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(l)) }
  }
}
