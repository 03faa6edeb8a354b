import Testing

@testable import SparsityReport

@Suite struct XMLTextTests {
  @Test func escapesMarkupCharacters() {
    #expect(XMLText.escape(#"a < b && c > "d" 'e'"#) == "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;")
  }

  @Test func keepsUnicodeAndDropsCharactersXMLForbids() throws {
    let text = "µ ± 5% \u{1F600}\u{0}\u{7}\u{1B}\tend\u{FFFE}"
    let escaped = XMLText.escape(text)
    #expect(escaped == "µ ± 5% \u{1F600}\tend")
    let check = try XMLCheck.parse("<p a=\"\(escaped)\">\(XMLText.escape("<script>&\u{0}"))</p>")
    #expect(check.text == "<script>&")
    #expect(check.elements.first?.attributes["a"] == "µ ± 5% \u{1F600}\tend".replacingOccurrences(of: "\t", with: " "))
  }
}
