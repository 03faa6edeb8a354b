import SparsityCore
import Testing

/// Memory estimates add up without overflowing, and the budget refuses what does not fit.
@Suite struct MemoryBudgetTests {
  @Test func estimatesMultiplyAndAddTheirSizes() {
    #expect(MemoryEstimate.floats(3, 4).bytes == 48)
    #expect(MemoryEstimate.bytes(3, 4).bytes == 12)
    #expect((MemoryEstimate.floats(10) + .bytes(2) * 3).bytes == 46)
    #expect(MemoryEstimate.zero.bytes == 0)
  }

  @Test func anOverflowingSizeFitsNowhere() {
    let huge = MemoryEstimate.floats(4_000_000_000, 4_000_000_000)
    #expect(huge.overflowed)
    #expect((huge + .floats(1)).overflowed)
    #expect((MemoryEstimate.floats(Int.max / 4) * 2).overflowed)
    #expect((MemoryEstimate(bytes: Int.max) + .bytes(1)).overflowed)
    #expect(huge.description == "more than 8 EiB")
  }

  @Test func sizesAreWrittenInBinaryUnitsWithThreeDigits() {
    #expect(MemoryEstimate.describe(bytes: 512) == "512 B")
    #expect(MemoryEstimate.describe(bytes: 12_800) == "12.5 KiB")
    #expect(MemoryEstimate.describe(bytes: 3 << 30) == "3.00 GiB")
    #expect(MemoryEstimate.describe(bytes: 150 << 40) == "150 TiB")
  }

  @Test func sizesParseWithBinarySuffixes() {
    #expect(MemoryBudget.parseSize("1000") == 1000)
    #expect(MemoryBudget.parseSize("64G") == 64 << 30)
    #expect(MemoryBudget.parseSize("512m") == 512 << 20)
    #expect(MemoryBudget.parseSize("2GiB") == 2 << 30)
    #expect(MemoryBudget.parseSize("10KB") == 10 << 10)
    for bad in ["", "G", "-1", "1.5G", "abc", "99999999999999999999", "9000000000000T"] {
      #expect(MemoryBudget.parseSize(bad) == nil, "\(bad)")
    }
  }

  @Test func theCheckRefusesWhatDoesNotFitAndNamesIt() throws {
    let budget = MemoryBudget.Budget(bytes: 1 << 20, source: "memory available")
    try MemoryBudget.check(.bytes(1 << 20), for: "exactly", against: budget)
    #expect(
      throws: MemoryBudgetError.insufficient(subject: "--atoms 9", needed: .bytes(2 << 20), budget: budget)
    ) { try MemoryBudget.check(.bytes(2 << 20), for: "--atoms 9", against: budget) }
    let error = MemoryBudgetError.insufficient(subject: "--atoms 9", needed: .bytes(2 << 20), budget: budget)
    #expect(
      error.description
        == "--atoms 9: needs 2.00 MiB of memory, more than the 1.00 MiB available (memory available;"
        + " SPARSITY_MEMORY_LIMIT overrides it)")
    let overflow = MemoryEstimate.floats(Int.max, 2)
    #expect(throws: MemoryBudgetError.self) { try MemoryBudget.check(overflow, for: "x", against: budget) }
  }

  @Test func theMachineHasABudget() throws {
    // Whatever the machine, the budget is positive and names where it comes from.
    let budget = try MemoryBudget.current()
    #expect(budget.bytes > 0)
    #expect(!budget.source.isEmpty)
  }
}
