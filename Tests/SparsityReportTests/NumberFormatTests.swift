import Testing

@testable import SparsityReport

@Suite struct NumberFormatTests {
  @Test func compactUsesFewDigitsAndNoTrailingZeros() {
    #expect(NumberFormat.compact(0) == "0")
    #expect(NumberFormat.compact(-0.0) == "0")
    #expect(NumberFormat.compact(0.25) == "0.25")
    #expect(NumberFormat.compact(98.0529) == "98.05")
    #expect(NumberFormat.compact(1234) == "1234")
    #expect(NumberFormat.compact(1e-4) == "1e-4")
    #expect(NumberFormat.compact(-2.5e6) == "-2.5e6")
    #expect(NumberFormat.compact(0.001) == "0.001")
    #expect(NumberFormat.compact(.nan) == "NaN")
    #expect(NumberFormat.compact(-.infinity) == "-inf")
  }

  @Test func percentAndTicks() {
    #expect(NumberFormat.percent(0.5) == "50.0%")
    #expect(NumberFormat.percent(0.98051, decimals: 2) == "98.05%")
    #expect(NumberFormat.tick(0.25, step: 0.25) == "0.25")
    #expect(NumberFormat.tick(0.5, step: 0.25) == "0.5")
    #expect(NumberFormat.tick(40, step: 20) == "40")
    #expect(NumberFormat.tick(0.30000000000000004, step: 0.1) == "0.3")
    #expect(NumberFormat.tick(1e-12, step: 0.1) == "0")
    #expect(NumberFormat.tick(2e-4, step: 1e-4) == "2e-4")
  }

  @Test func bytesInBinaryUnits() {
    #expect(NumberFormat.bytes(0) == "0.0 KiB")
    #expect(NumberFormat.bytes(1536) == "1.5 KiB")
    #expect(NumberFormat.bytes((1 << 20) - 1) == "1024.0 KiB")
    #expect(NumberFormat.bytes(1 << 20) == "1.00 MiB")
    #expect(NumberFormat.bytes(4_404_019) == "4.20 MiB")
  }
}
