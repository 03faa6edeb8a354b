import SparsityCore
import Testing
@testable import SparsityCoding

@Suite struct IncrementalCholeskyTests {
  /// Solves G_AA x = b with the incremental factor after appends and removals, and checks the
  /// residual against G directly.
  @Test func solvesAfterAppendsAndRemovals() {
    let d = CodingFixture.dictionary(atoms: 12, features: 20, seed: 3)
    let problem = LassoProblem(dictionary: d)
    let g = problem.gram, n = problem.atoms
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
