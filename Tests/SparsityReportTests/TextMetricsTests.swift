import Testing

@testable import SparsityReport

@Suite struct TextMetricsTests {
  @Test func widthGrowsWithTextAndSize() {
    #expect(TextMetrics.width("", size: 12) == 0)
    #expect(abs(TextMetrics.width("ab", size: 10) - 12) < 1e-9)
    #expect(TextMetrics.width("WWW", size: 12) > TextMetrics.width("iii", size: 12))
    #expect(TextMetrics.width("plain ReLU", size: 24) == 2 * TextMetrics.width("plain ReLU", size: 12))
  }

  @Test func boxFollowsTheAnchor() {
    let start = TextMetrics.box("abc", x: 100, y: 50, size: 10, anchor: .start)
    let middle = TextMetrics.box("abc", x: 100, y: 50, size: 10, anchor: .middle)
    let end = TextMetrics.box("abc", x: 100, y: 50, size: 10, anchor: .end)
    #expect(start.minX == 100 && abs(middle.midX - 100) < 1e-9 && end.maxX == 100)
    #expect(start.minY < 50 && start.maxY > 50)
  }

  @Test func abbreviatedTextFitsAndSaysSo() {
    let text = "sparse autoencoder (sigmoid, KL 0.05)"
    #expect(TextMetrics.abbreviated(text, toWidth: 1000, size: 12) == text)
    let short = TextMetrics.abbreviated(text, toWidth: 80, size: 12)
    #expect(short.hasSuffix("…") && TextMetrics.width(short, size: 12) <= 80)
    #expect(TextMetrics.abbreviated(text, toWidth: 1, size: 12) == "")
  }

  @Test func wrappedLinesFitTheirWidth() {
    let lines = TextMetrics.wrapped("one two three four five six seven", toWidth: 60, size: 12, maxLines: 3)
    #expect(lines.count == 3)
    #expect(lines.allSatisfy { TextMetrics.width($0, size: 12) <= 60 })
    #expect(lines.last?.hasSuffix("…") == true)
    #expect(TextMetrics.wrapped("", toWidth: 60, size: 12, maxLines: 2) == [""])
  }
}
