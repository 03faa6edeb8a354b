import Foundation
import SparsityCore
import Testing

@testable import SparsityCoding

@Suite struct IncrementalCholeskyTests {
  /// Solves G_AA x = b with the incremental factor after appends and removals, and checks the
  /// residual against G directly.
  @Test func solvesAfterAppendsAndRemovals() {
    let d = CodingFixture.dictionary(atoms: 12, features: 20, seed: 3)
    let problem = LassoProblem(dictionary: d)
    let g = problem.gram
    let n = problem.atoms
    var cholesky = IncrementalCholesky(capacity: 8)
    var active: [Int] = []
    for atom in [4, 0, 7, 2, 9, 11] {
      let current = active
      let appended = cholesky.append(diagonal: g[atom * n + atom], column: { g[current[$0] * n + atom] })
      #expect(appended)
      active.append(atom)
    }
    for position in [2, 0, 3] {
      cholesky.remove(at: position)
      active.remove(at: position)
      let b = (0..<active.count).map { Double($0) - 1.5 }
      var x = b + [Double](repeating: 0, count: 8 - active.count)
      cholesky.solve(&x)
      for (i, ai) in active.enumerated() {
        let gx = active.enumerated().reduce(0.0) { $0 + g[ai * n + $1.element] * x[$1.offset] }
        #expect(abs(gx - b[i]) < 1e-9)
      }
    }
    #expect(cholesky.size == 3)
  }

  /// The column-oriented forward substitution from a start position equals the full one, after
  /// appends and a removal (which refreshes the column-major copy).
  @Test func forwardSubstitutionFromAnyStart() {
    let d = CodingFixture.dictionary(atoms: 30, features: 40, seed: 5)
    let problem = LassoProblem(dictionary: d)
    let g = problem.gram
    let n = problem.atoms
    var cholesky = IncrementalCholesky(capacity: 25)
    var active: [Int] = []
    for atom in stride(from: 0, to: 30, by: 3) + [1, 4, 7, 11, 13, 17, 19] {
      let current = active
      let appended = cholesky.append(diagonal: g[atom * n + atom], column: { g[current[$0] * n + atom] })
      #expect(appended)
      active.append(atom)
    }
    cholesky.remove(at: 4)
    let b = (0..<cholesky.size).map { sin(Double($0)) }
    var full = b
    full.withUnsafeMutableBufferPointer { cholesky.forwardSubstitute($0.baseAddress!, from: 0) }
    for start in [1, 5, cholesky.size - 1] {
      var partial = b
      partial.withUnsafeMutableBufferPointer { p in
        for i in 0..<start { p[i] = full[i] }
        cholesky.forwardSubstitute(p.baseAddress!, from: start)
      }
      for i in 0..<b.count { #expect(abs(partial[i] - full[i]) <= 1e-12 * max(1, abs(full[i]))) }
    }
    var entrywise = b
    entrywise.withUnsafeMutableBufferPointer { p in for i in 0..<b.count { cholesky.forwardEntry(i, p.baseAddress!) } }
    for i in 0..<b.count { #expect(abs(entrywise[i] - full[i]) <= 1e-12 * max(1, abs(full[i]))) }
  }

  /// A repeated atom is numerically dependent and is refused.
  @Test func refusesDependentAtom() {
    let d = CodingFixture.dictionary(atoms: 4, features: 6, seed: 1)
    let g = LassoProblem(dictionary: d).gram
    var cholesky = IncrementalCholesky(capacity: 4)
    let first = cholesky.append(diagonal: g[0], column: { _ in 0 })
    let repeated = cholesky.append(diagonal: g[0], column: { _ in g[0] })
    #expect(first && !repeated)
    #expect(cholesky.size == 1)
  }
}
