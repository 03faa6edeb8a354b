// The Pareto frontier of points with two objectives, e.g. sparsity and accuracy.

/// Which end of an axis is better.
public enum Preference: Sendable, Equatable {
  /// Larger values are better (accuracy, sparsity, speedup).
  case higher
  /// Smaller values are better (loss, latency, size).
  case lower
}

/// Which end of each axis of a scatter plot is better, for its Pareto frontier.
public struct FrontierPreference: Sendable, Equatable {
  /// The better end of the horizontal axis.
  public var x: Preference
  /// The better end of the vertical axis.
  public var y: Preference

  /// Preferences for the two axes.
  public init(x: Preference, y: Preference) {
    self.x = x
    self.y = y
  }

  /// Higher is better on both axes (e.g. sparsity and accuracy).
  public static let bothHigher = FrontierPreference(x: .higher, y: .higher)
}

/// The Pareto frontier: the points that no other point beats on both objectives.
///
/// Point p dominates q when p is at least as good as q on both x and y and strictly better on
/// one. The frontier is the set of non-dominated points, sorted by x (ascending). Points with a
/// non-finite coordinate are never on it.
/// Reference: K. Deb, "Multi-Objective Optimization using Evolutionary Algorithms" (2001), ch. 2.
public enum ParetoFrontier {
  /// The indices of the non-dominated points among `points`, sorted by x then y.
  /// - Complexity: O(n log n).
  public static func indices(of points: [(x: Double, y: Double)], x xPreference: Preference, y yPreference: Preference)
    -> [Int]
  {
    let sx: Double = xPreference == .higher ? 1 : -1
    let sy: Double = yPreference == .higher ? 1 : -1
    // Sort by x best first (ties: y best first); a point is on the frontier when its y is
    // strictly better than every y seen before it.
    let order = points.indices.filter { points[$0].x.isFinite && points[$0].y.isFinite }.sorted { a, b in
      let (xa, xb) = (sx * points[a].x, sx * points[b].x)
      let (ya, yb) = (sy * points[a].y, sy * points[b].y)
      return xa != xb ? xa > xb : ya != yb ? ya > yb : a < b
    }
    var best = -Double.infinity
    var frontier: [Int] = []
    for i in order where sy * points[i].y > best {
      frontier.append(i)
      best = sy * points[i].y
    }
    return frontier.sorted { (points[$0].x, points[$0].y) < (points[$1].x, points[$1].y) }
  }
}
