// Finding the latents whose top rows are about some text.
import Foundation

/// A latent whose top rows' contexts contain a query.
public struct LatentMatch: Equatable, Sendable {
  /// The latent.
  public var latent: Int
  /// Its top rows whose context contains the query, highest activation first.
  public var rows: [LatentActivation]
  /// Their contexts, in the same order.
  public var contexts: [String]
  /// Top rows of the latent with a context (the denominator of `rows.count`).
  public var topRowCount: Int
}

/// Ranks latents by how many of their top rows' contexts contain a text.
public enum LatentSearch {
  /// The latents with at least one top row whose context contains `query` (case-insensitive,
  /// ⟦ ⟧ marks ignored), by matching rows descending, then by their summed activation,
  /// then by latent index; at most `limit`.
  /// - Complexity: O(latents x top x context length).
  public static func rank(
    _ statistics: LatentStatistics, contexts: LatentContexts, query: String, limit: Int = 20
  ) -> [LatentMatch] {
    let needle = query.trimmingCharacters(in: .whitespaces)
    guard !needle.isEmpty else { return [] }
    var matches = [LatentMatch]()
    for (latent, top) in statistics.topRows.enumerated() {
      var match = LatentMatch(latent: latent, rows: [], contexts: [], topRowCount: 0)
      for entry in top {
        guard let context = contexts.lines[entry.row] else { continue }
        match.topRowCount += 1
        if LatentContexts.unmarked(context).range(of: needle, options: .caseInsensitive) != nil {
          match.rows.append(entry)
          match.contexts.append(context)
        }
      }
      if !match.rows.isEmpty { matches.append(match) }
    }
    func weight(_ m: LatentMatch) -> Float { m.rows.reduce(0) { $0 + $1.activation } }
    matches.sort {
      ($0.rows.count, weight($0), -$0.latent) > ($1.rows.count, weight($1), -$1.latent)
    }
    return Array(matches.prefix(Swift.max(0, limit)))
  }
}
