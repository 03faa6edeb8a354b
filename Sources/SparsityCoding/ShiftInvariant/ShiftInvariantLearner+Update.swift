// The atom updates of `ShiftInvariantLearner` (see `ShiftInvariantAtomUpdate`) and the
// resampling of unused atoms.

import SparsityCore

/// A spike of one atom, located in the codes of one iteration.
struct PlacedSpike {
  let segment: Int
  let time: Int
  let amplitude: Double
}

extension ShiftInvariantLearner {
  /// Moves every atom as `settings.update` says, given `codes` (whose residuals the
  /// least-squares update keeps current); returns the atoms no spike used, which do not move.
  func updateAtoms(codes: inout [ShiftInvariantCode]) -> [Int] {
    let (k, l) = (settings.atoms, settings.atomLength)
    var byAtom = [[PlacedSpike]](repeating: [], count: k)
    for (segment, code) in codes.enumerated() {
      for spike in code.spikes {
        byAtom[spike.atom].append(PlacedSpike(segment: segment, time: spike.time, amplitude: Double(spike.amplitude)))
      }
    }
    let used = (0..<k).filter { !byAtom[$0].isEmpty }
    switch settings.update {
    case .gradient(let rate):
      let gradients = used.map { gradient(byAtom[$0], codes) }
      for (atom, g) in zip(used, gradients) {
        for i in 0..<l { storage[atom * l + i] += Double(rate) * g[i] }
        normalize(atom)
      }
    case .leastSquares(let ridge):
      for atom in used {
        let g = gradient(byAtom[atom], codes)
        var rho = autocorrelation(byAtom[atom])
        rho[0] *= 1 + ridge
        let delta = solveSymmetricToeplitz(column: rho, g)
        for i in 0..<l { storage[atom * l + i] += delta[i] }
        for spike in byAtom[atom] {
          for i in 0..<l { codes[spike.segment].residual[spike.time + i] -= Float(spike.amplitude * delta[i]) }
        }
        normalize(atom)
      }
    }
    return (0..<k).filter { byAtom[$0].isEmpty }
  }

  /// g = sum_s a_s r[t_s ..< t_s + L] over `spikes` of one atom: minus the gradient of
  /// 0.5 ||r||^2 with respect to the atom.
  func gradient(_ spikes: [PlacedSpike], _ codes: [ShiftInvariantCode]) -> [Double] {
    let l = settings.atomLength
    var g = [Double](repeating: 0, count: l)
    for spike in spikes {
      codes[spike.segment].residual.withUnsafeBufferPointer { r in
        for i in 0..<l { g[i] += spike.amplitude * Double(r[spike.time + i]) }
      }
    }
    return g
  }

  /// rho(d), d = 0 ..< L: the sum of a_s a_s' over ordered pairs of `spikes` (one atom, sorted
  /// by segment then time) in one segment with t_s' - t_s = d; the first column of the Gram
  /// matrix of the atom's shifted copies.
  func autocorrelation(_ spikes: [PlacedSpike]) -> [Double] {
    let l = settings.atomLength
    var rho = [Double](repeating: 0, count: l)
    for (index, spike) in spikes.enumerated() {
      rho[0] += spike.amplitude * spike.amplitude
      var next = index + 1
      while next < spikes.count && spikes[next].segment == spike.segment && spikes[next].time - spike.time < l {
        let d = spikes[next].time - spike.time
        rho[d] += (d == 0 ? 2 : 1) * spike.amplitude * spikes[next].amplitude
        next += 1
      }
    }
    return rho
  }

  /// Replaces each of `atoms` by the Hann-windowed L samples of largest residual energy in a
  /// seeded random one of `codes`; returns how many were replaced.
  func resample(_ atoms: [Int], codes: [ShiftInvariantCode]) -> Int {
    let l = settings.atomLength
    let candidates = codes.filter { $0.residual.count >= l }
    guard !candidates.isEmpty else { return 0 }
    let window = Self.hannWindow(l)
    for atom in atoms {
      let residual = candidates[Int(generator.next(upperBound: UInt64(candidates.count)))].residual
      var prefix = [0.0]
      for v in residual { prefix.append(prefix.last! + Double(v) * Double(v)) }
      let start = (0...(residual.count - l)).max { prefix[$0 + l] - prefix[$0] < prefix[$1 + l] - prefix[$1] }!
      for i in 0..<l { storage[atom * l + i] = Double(residual[start + i]) * window[i] }
      normalize(atom)
    }
    return atoms.count
  }
}
