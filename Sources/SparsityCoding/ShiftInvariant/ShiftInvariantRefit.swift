// The least-squares amplitudes of a shift-invariant code's spikes, as OMP's projection is to MP's.

import SparsityCore

extension ShiftInvariantCode {
  /// The code with the same spikes (atoms and times) and the amplitudes that minimize the
  /// residual energy ||x - Phi a||^2, where x = reconstruction + residual and column s of Phi is
  /// atom k_s shifted to t_s: matching pursuit picks each amplitude once, greedily, and later
  /// spikes that overlap an earlier one leave its amplitude off the joint optimum; this refit is
  /// the projection that orthogonal matching pursuit makes at every step, made once at the end.
  ///
  /// Solved by conjugate gradients on the normal equations (CGLS, Hestenes & Stiefel 1952;
  /// Bjorck, "Numerical Methods for Least Squares Problems", 1996, section 7.4) started at the
  /// pursuit's amplitudes, so the residual energy never grows: each iteration is one synthesis
  /// Phi p and one correlation Phi^T r at the spikes, in Double. Stops after `iterations` or
  /// when ||Phi^T r|| falls below 1e-6 of its start.
  /// - Complexity: O(iterations x (spikes x L + N)).
  public func refitted(atoms: Tensor, iterations: Int = 8) -> ShiftInvariantCode {
    guard !spikes.isEmpty, iterations > 0 else { return self }
    let l = atoms.columns
    precondition(
      spikes.allSatisfy { $0.atom >= 0 && $0.atom < atoms.rows && $0.time >= 0 && $0.time + l <= residual.count },
      "ShiftInvariantCode.refitted: a spike does not fit \(atoms.rows) atoms of \(l) samples in \(residual.count)")
    let h = atoms.scalars.map(Double.init)
    var r = residual.map(Double.init)
    var a = spikes.map { Double($0.amplitude) }
    var s = correlate(r, h, atomLength: l)
    var p = s
    var gamma = s.reduce(0) { $0 + $1 * $1 }
    let stop = gamma * 1e-12
    for _ in 0..<iterations where gamma > stop {
      let q = synthesize(p, h, atomLength: l, length: r.count)
      let qq = q.reduce(0) { $0 + $1 * $1 }
      guard qq > 0 else { break }
      let alpha = gamma / qq
      for i in a.indices { a[i] += alpha * p[i] }
      for n in r.indices { r[n] -= alpha * q[n] }
      s = correlate(r, h, atomLength: l)
      let next = s.reduce(0) { $0 + $1 * $1 }
      let beta = next / gamma
      for i in p.indices { p[i] = s[i] + beta * p[i] }
      gamma = next
    }
    var code = self
    for i in code.spikes.indices { code.spikes[i].amplitude = Float(a[i]) }
    // The residual of the rounded amplitudes, so that reconstruction + residual is x again.
    let x = zip(reconstruction(atoms: atoms), residual).map { Double($0) + Double($1) }
    let rebuilt = code.reconstruction(atoms: atoms)
    code.residual = zip(x, rebuilt).map { Float($0 - Double($1)) }
    code.residualEnergy = code.residual.reduce(0) { $0 + Double($1) * Double($1) }
    return code
  }

  /// Phi^T r: each spike's atom correlated with `r` at its time.
  private func correlate(_ r: [Double], _ h: [Double], atomLength l: Int) -> [Double] {
    r.withUnsafeBufferPointer { r in
      h.withUnsafeBufferPointer { h in
        spikes.map { spike in
          var sum = 0.0
          let (x, w) = (r.baseAddress! + spike.time, h.baseAddress! + spike.atom * l)
          for i in 0..<l { sum += x[i] * w[i] }
          return sum
        }
      }
    }
  }

  /// Phi c: the spikes' atoms scaled by `c` and summed, `length` samples.
  private func synthesize(_ c: [Double], _ h: [Double], atomLength l: Int, length: Int) -> [Double] {
    var out = [Double](repeating: 0, count: length)
    out.withUnsafeMutableBufferPointer { out in
      h.withUnsafeBufferPointer { h in
        for (spike, value) in zip(spikes, c) {
          let (y, w) = (out.baseAddress! + spike.time, h.baseAddress! + spike.atom * l)
          for i in 0..<l { y[i] += value * w[i] }
        }
      }
    }
    return out
  }
}
