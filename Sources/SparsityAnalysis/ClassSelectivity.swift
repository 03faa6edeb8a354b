// How concentrated a unit's mean activation is on one class (Morcos et al. 2018).

/// The class selectivity index of one unit and the class it prefers.
///
/// With mu_c the unit's mean activation over the inputs of class c (classes without inputs left
/// out), mu_max the largest of them and mu_rest the mean of the other classes' mu_c:
///
///     selectivity = (mu_max - mu_rest) / (mu_max + mu_rest)
///
/// For non-negative activations this lies in [0, 1]: 0 when every class drives the unit
/// equally, 1 when only one class drives it at all. The analysis feeds it the means of the
/// positive part max(a, 0) (identical to a for ReLU, TopK after ReLU and Sigmoid), so the
/// index stays in [0, 1] for LeakyReLU and TopK layers with negative outputs too.
///
/// The index says nothing about how often a unit fires: a unit active on a single input has
/// selectivity 1, so read it next to the unit's firing rate.
///
/// Edge cases: the index is undefined (nil, with no preferred class) when mu_max + mu_rest is
/// 0 (a unit that never fires on the data: dead) or when fewer than two classes have inputs.
/// Ties for mu_max go to the lowest class index.
///
/// Reference: A. S. Morcos, D. G. T. Barrett, N. C. Rabinowitz, M. Botvinick, "On the
/// importance of single directions for generalization", ICLR 2018, section 2.3.
public struct ClassSelectivity: Sendable, Equatable {
  /// The selectivity index in [0, 1] for non-negative means; nil when undefined.
  public var index: Double?
  /// The class with the largest mean activation; nil when the index is undefined.
  public var preferredClass: Int?

  /// A selectivity with the given index and preferred class (both nil when undefined).
  public init(index: Double?, preferredClass: Int?) {
    self.index = index
    self.preferredClass = preferredClass
  }

  /// The selectivity of a unit whose mean activation on class c is `classMeans[c]` (nil for a
  /// class without inputs).
  /// - Complexity: O(classes).
  public init(classMeans: [Double?]) {
    let present = classMeans.enumerated().compactMap { c, mean in mean.map { (c, $0) } }
    guard present.count >= 2 else {
      self.init(index: nil, preferredClass: nil)
      return
    }
    var best = present[0]
    for candidate in present.dropFirst() where candidate.1 > best.1 { best = candidate }
    let others = present.filter { $0.0 != best.0 }.reduce(0.0) { $0 + $1.1 }
    let rest = others / Double(present.count - 1)
    let denominator = best.1 + rest
    guard denominator > 0, denominator.isFinite else {
      self.init(index: nil, preferredClass: nil)
      return
    }
    self.init(index: (best.1 - rest) / denominator, preferredClass: best.0)
  }

  /// The mean index over the units (or channels) where it is defined and whose firing rate is
  /// at least `minimumFiringRate`; nil when there is none.
  /// - Complexity: O(units).
  static func mean(of selectivity: [ClassSelectivity], firingRates: [Double], minimumFiringRate: Double) -> Double? {
    let defined = selectivity.indices.compactMap { firingRates[$0] >= minimumFiringRate ? selectivity[$0].index : nil }
    return defined.isEmpty ? nil : defined.reduce(0, +) / Double(defined.count)
  }

  /// Up to `count` units (or channels) with a defined index and a firing rate of at least
  /// `minimumFiringRate`, most selective first (ties: lower index).
  /// - Complexity: O(units log units).
  static func mostSelective(
    _ count: Int, of selectivity: [ClassSelectivity], firingRates: [Double], minimumFiringRate: Double
  ) -> [Int] {
    let defined = selectivity.indices.filter { selectivity[$0].index != nil && firingRates[$0] >= minimumFiringRate }
    let ranked = defined.sorted { a, b in
      let (x, y) = (selectivity[a].index!, selectivity[b].index!)
      return x > y || (x == y && a < b)
    }
    return Array(ranked.prefix(Swift.max(0, count)))
  }
}
