// Tick labels that never collide: fitted to their room, and thinned when the axis is crowded.

/// A tick label as drawn: its tick, where its text is centred, its lines, the full text if cut.
struct TickLabel: Equatable {
  /// The tick's pixel along its axis (x for a horizontal axis, y for a vertical one).
  var position: Double
  /// The pixel along the axis the text is centred on: the tick, moved inwards when the text
  /// would otherwise cross the chart's edge.
  var center: Double
  /// The lines of text, top to bottom.
  var lines: [String]
  /// The full label when `lines` abbreviate it (shown as a tooltip); nil when nothing was cut.
  var tooltip: String?

  /// The widest line's estimated width at font size `size`.
  func width(size: Double) -> Double { lines.map { TextMetrics.width($0, size: size) }.max() ?? 0 }

  /// The label's extent along its axis at font size `size`: the width on a horizontal axis,
  /// the height of its lines on a vertical one.
  func extent(size: Double, horizontal: Bool) -> ClosedRange<Double> {
    let length =
      horizontal
      ? width(size: size)
      : TextMetrics.lineHeight(size: size) + Double(max(0, lines.count - 1)) * TextMetrics.lineSpacing * size
    return (center - length / 2)...(center + length / 2)
  }
}

/// Fitting tick labels to an axis so that none collides: wrapped or abbreviated to the room each
/// has, and only every k-th tick labelled when the axis is crowded, for the smallest k that
/// leaves `gap` pixels between neighbouring labels (tick marks and grid lines stay for all).
enum TickLabels {
  /// The least distance between neighbouring labels, in pixels.
  static let gap = 6.0

  /// Labels for a horizontal axis, centred under their ticks and moved inwards to stay within
  /// `bounds`. Every k-th tick is labelled, for the smallest k whose labels keep apart and are
  /// legible when wrapped into at most `maxLines` lines in the room of k ticks (`maxWidth` is
  /// the room of one) at font size `size`: complete, or cut with "…" after at least
  /// `legibleCharacters` characters. Complexity: O(ticks^2) wraps at worst.
  static func horizontal(
    _ ticks: [(position: Double, label: String)], maxWidth: Double, maxLines: Int, size: Double,
    bounds: ClosedRange<Double>
  ) -> [TickLabel] {
    var kept: [TickLabel] = []
    for every in 1...max(1, ticks.count) {
      let room = maxWidth * Double(every) + gap * Double(every - 1)
      kept = ticks.indices.filter { $0 % every == 0 }.map { i in
        fitted(ticks[i], width: room, maxLines: maxLines, size: size, bounds: bounds)
      }
      if keepApart(kept, size: size, horizontal: true) && kept.allSatisfy(isLegible) { return kept }
    }
    return kept
  }

  /// The fewest characters a cut label keeps before its "…".
  static let legibleCharacters = 6

  /// True when `label` is complete or keeps at least `legibleCharacters` characters.
  private static func isLegible(_ label: TickLabel) -> Bool {
    label.tooltip == nil || label.lines.joined().count - 1 >= min(legibleCharacters, label.tooltip?.count ?? 0)
  }

  /// One label wrapped to `width`, centred on its tick but inside `bounds`.
  private static func fitted(
    _ tick: (position: Double, label: String), width: Double, maxLines: Int, size: Double, bounds: ClosedRange<Double>
  ) -> TickLabel {
    let lines = TextMetrics.wrapped(tick.label, toWidth: max(size, width), size: size, maxLines: maxLines)
    let half = (lines.map { TextMetrics.width($0, size: size) }.max() ?? 0) / 2
    let center = min(
      max(tick.position, bounds.lowerBound + half), max(bounds.lowerBound + half, bounds.upperBound - half))
    let cut = lines.joined(separator: " ") != tick.label.split(separator: " ").joined(separator: " ")
    return TickLabel(position: tick.position, center: center, lines: lines, tooltip: cut ? tick.label : nil)
  }

  /// Labels for a vertical axis, one line each, abbreviated to `maxWidth` pixels at font size
  /// `size`, then thinned. Complexity: O(ticks^2) in the worst case.
  static func vertical(_ ticks: [(position: Double, label: String)], maxWidth: Double, size: Double) -> [TickLabel] {
    let labels = ticks.map { tick -> TickLabel in
      let line = TextMetrics.abbreviated(tick.label, toWidth: max(size, maxWidth), size: size)
      return TickLabel(
        position: tick.position, center: tick.position, lines: [line], tooltip: line == tick.label ? nil : tick.label)
    }
    return thinned(labels, size: size, horizontal: false)
  }

  /// True when every label keeps all its text (nothing abbreviated).
  static func areComplete(_ labels: [TickLabel]) -> Bool { labels.allSatisfy { $0.tooltip == nil } }

  /// Every k-th label (k = 1, 2, ...; always the first) for the smallest k whose labels keep
  /// `gap` apart.
  private static func thinned(_ labels: [TickLabel], size: Double, horizontal: Bool) -> [TickLabel] {
    guard labels.count > 1 else { return labels }
    for every in 1...labels.count {
      let kept = labels.indices.filter { $0 % every == 0 }.map { labels[$0] }
      if keepApart(kept, size: size, horizontal: horizontal) { return kept }
    }
    return Array(labels.prefix(1))
  }

  /// True when neighbouring labels are at least `gap` apart along the axis; empty labels take
  /// no room.
  private static func keepApart(_ labels: [TickLabel], size: Double, horizontal: Bool) -> Bool {
    let extents = labels.filter { !$0.lines.allSatisfy(\.isEmpty) }.map {
      $0.extent(size: size, horizontal: horizontal)
    }
    .sorted { $0.lowerBound < $1.lowerBound }
    return zip(extents, extents.dropFirst()).allSatisfy { $0.upperBound + gap <= $1.lowerBound }
  }
}
