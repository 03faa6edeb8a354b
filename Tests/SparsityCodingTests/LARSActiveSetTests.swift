import SparsityCore
import Testing

@testable import SparsityCoding

/// `LARSActiveSet` against its definitions: after joins and leaves (Cholesky updates and
/// downdates), w solves G_AA w = s_A, for both ways of refreshing z = L^{-1} s_A; and the first
/// leave is the smallest positive -a_i / w_i, for both forms of the leave test.
@Suite struct LARSActiveSetTests {
  static let atoms = 12
  /// G = D D^T of a seeded unit-norm dictionary, atoms x atoms, in Double.
  static let gram: [Double] = {
    let d = CodingFixture.dictionary(atoms: atoms, features: 20, seed: 91)
    return (0..<atoms * atoms).map { index in
      let (i, j) = (index / atoms, index % atoms)
      return Double((0..<d.columns).reduce(Float(0)) { $0 + d[i, $1] * d[j, $1] })
    }
  }()

  static func makeSet(_ leaveTest: LARSActiveSet.LeaveTest, _ refresh: LARSActiveSet.ForwardRefresh)
    -> LARSActiveSet
  {
    LARSActiveSet(atoms: atoms, capacity: atoms, leaveTest: leaveTest, refresh: refresh)
  }

  /// max_i |(G_AA w - s_A)_i| for the set's current direction and the given signs.
  static func residual(_ set: LARSActiveSet, signs: [Double]) -> Double {
    let (members, w) = (set.members, set.direction)
    return (0..<members.count).map { i in
      let gw = (0..<members.count).reduce(0.0) { $0 + gram[members[i] * atoms + members[$1]] * w[$1] }
      return abs(gw - signs[i])
    }.max() ?? 0
  }

  @Test(arguments: [LARSActiveSet.ForwardRefresh.entryByEntry, .substitution])
  func directionSolvesTheActiveGramAfterJoinsAndLeaves(refresh: LARSActiveSet.ForwardRefresh) {
    let set = Self.makeSet(.dividing, refresh)
    set.reset()
    var expected: [(atom: Int, sign: Double)] = []
    let steps: [(join: Int?, sign: Double, leave: Int?)] = [
      (3, 1, nil), (7, -1, nil), (1, 1, nil), (9, 1, nil), (4, -1, nil),
      (nil, 0, 1), (nil, 0, 2), (5, 1, nil), (nil, 0, 0), (10, -1, nil),
    ]
    Self.gram.withUnsafeBufferPointer { g in
      for step in steps {
        if let j = step.join {
          #expect(set.join(j, sign: step.sign, gram: g.baseAddress!))
          expected.append((j, step.sign))
        } else if let position = step.leave {
          #expect(set.leave(at: position) == expected.remove(at: position).atom)
        }
        set.solveDirection()
        #expect(Array(set.members) == expected.map(\.atom))
        #expect(Self.residual(set, signs: expected.map(\.sign)) < 1e-10)
      }
    }
  }

  /// Joins atoms 2, 6, 8, steps to a = 0.7 w, joins `extra` and solves the new direction.
  static func prepare(_ set: LARSActiveSet, extra: [(Int, Double)]) {
    set.reset()
    gram.withUnsafeBufferPointer { g in
      for (j, sign) in [(2, 1.0), (6, -1.0), (8, 1.0)] { _ = set.join(j, sign: sign, gram: g.baseAddress!) }
      set.solveDirection()
      set.advance(by: 0.7)
      for (j, sign) in extra { _ = set.join(j, sign: sign, gram: g.baseAddress!) }
    }
    set.solveDirection()
  }

  @Test func bothLeaveTestsFindTheSmallestPositiveCrossing() {
    let sets = [Self.makeSet(.dividing, .entryByEntry), Self.makeSet(.crossMultiplying, .substitution)]
    let others = [0, 1, 3, 4, 5, 7, 9, 10, 11]
    var checked = 0
    for j in others {
      for k in others where k > j {
        for signs in [(1.0, 1.0), (1, -1), (-1, 1), (-1, -1)] {
          for set in sets { Self.prepare(set, extra: [(j, signs.0), (k, signs.1)]) }
          let (code, members, w) = (sets[0].code, sets[0].members, sets[0].direction)
          let crossings = (0..<members.count).map { -code[members[$0]] / w[$0] }.filter { $0 > 0 }
          let found = sets.map { $0.firstLeave(before: .infinity) }
          #expect(found[0]?.0 == crossings.min(), "atoms \(j), \(k)")
          #expect(found[0]?.0 == found[1]?.0 && found[0]?.1 == found[1]?.1, "atoms \(j), \(k)")
          #expect(sets[0].firstLeave(before: 0) == nil)
          checked += crossings.isEmpty ? 0 : 1
        }
      }
    }
    #expect(checked > 0)
  }
}
