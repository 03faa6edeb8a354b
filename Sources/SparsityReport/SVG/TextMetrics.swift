// Estimated text extents: the one place that guesses how much room a label takes.

/// Where a text's anchor point sits along the text (SVG `text-anchor`).
enum TextAnchor: String {
  /// The text starts at the anchor.
  case start
  /// The text is centred on the anchor.
  case middle
  /// The text ends at the anchor.
  case end
}

/// Estimated sizes of text in the charts' sans-serif font, without font files.
///
/// The width of a text is the sum of per-character widths in em: 0.36 for narrow characters
/// (`i l j t f r I . , : ; ' | ! ( ) [ ] -` and space), 0.92 for wide ones (`m w M W % @`),
/// 0.72 for other capitals, 0.6 for other ASCII (lowercase letters, digits) and 0.65 for the rest.
/// That is 5 to 15% more than Helvetica and Arial need and about what DejaVu Sans (the usual
/// Linux fallback) needs, so labels placed apart by these estimates stay apart on screen.
/// A line's box reaches `ascent` em above the baseline and `descent` em below it.
/// Reference: Adobe, "Helvetica" AFM character widths (Core 14 font metrics).
enum TextMetrics {
  /// The box's height above the baseline, in em.
  static let ascent = 0.78
  /// The box's depth below the baseline, in em.
  static let descent = 0.24
  /// The distance between the baselines of wrapped lines, in em.
  static let lineSpacing = 1.2

  private static let narrow = Set("iljtfrI.,:;'|!()[]- ")
  private static let wide = Set("mwMW%@")

  /// The estimated width in pixels of `text` at font size `size`. Complexity: O(text length).
  static func width(_ text: String, size: Double) -> Double {
    var em = 0.0
    for character in text {
      if narrow.contains(character) {
        em += 0.36
      } else if wide.contains(character) {
        em += 0.92
      } else if character.isASCII {
        em += character.isUppercase ? 0.72 : 0.6
      } else {
        em += 0.65
      }
    }
    return em * size
  }

  /// The height in pixels of one line's box at font size `size`.
  static func lineHeight(size: Double) -> Double { (ascent + descent) * size }

  /// The box of `text` drawn at (x, baseline y) with font size `size` and `anchor`.
  static func box(_ text: String, x: Double, y: Double, size: Double, anchor: TextAnchor) -> PixelRect {
    let w = width(text, size: size)
    let minX: Double
    switch anchor {
    case .start: minX = x
    case .middle: minX = x - w / 2
    case .end: minX = x - w
    }
    return PixelRect(x: minX, y: y - ascent * size, width: w, height: lineHeight(size: size))
  }

  /// `text` cut to fit `width` pixels at `size`, ending in "…" when cut; unchanged when it fits.
  static func abbreviated(_ text: String, toWidth maximum: Double, size: Double) -> String {
    guard width(text, size: size) > maximum else { return text }
    var kept = Substring(text)
    while !kept.isEmpty && width(kept.trimmingTrailingSpaces() + "…", size: size) > maximum {
      kept = kept.dropLast()
    }
    return kept.isEmpty ? "" : kept.trimmingTrailingSpaces() + "…"
  }

  /// `text` broken at spaces into lines no wider than `width` pixels at `size`, greedily, at most
  /// `maxLines` of them; words wider than a line and text left over are abbreviated with "…".
  /// Complexity: O(text length x words).
  static func wrapped(_ text: String, toWidth maximum: Double, size: Double, maxLines: Int) -> [String] {
    precondition(maxLines >= 1, "TextMetrics.wrapped: maxLines must be at least 1")
    var lines: [String] = []
    var current = ""
    let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
    for (i, word) in words.enumerated() {
      let candidate = current.isEmpty ? word : current + " " + word
      if current.isEmpty || width(candidate, size: size) <= maximum {
        current = candidate
        continue
      }
      if lines.count == maxLines - 1 {
        // The last line allowed: the rest of the text goes on it, abbreviated.
        current = ([current] + words[i...]).joined(separator: " ")
        break
      }
      lines.append(current)
      current = word
    }
    if !current.isEmpty || lines.isEmpty { lines.append(current) }
    return lines.map { abbreviated($0, toWidth: maximum, size: size) }
  }
}

extension Substring {
  fileprivate func trimmingTrailingSpaces() -> String {
    var end = endIndex
    while end > startIndex && self[index(before: end)] == " " { end = index(before: end) }
    return String(self[startIndex..<end])
  }
}
