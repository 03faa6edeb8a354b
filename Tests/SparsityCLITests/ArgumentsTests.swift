import Testing

/// The argument parser and dispatcher, seen through the built executable.
@Suite struct ArgumentsTests {
  @Test func optionValueMayBeInlineOrSeparateAndNegativeNumbersArePositional() throws {
    let inline = try SparsityExecutable.run(["measure", "-1,0,2", "--epsilon=0.5", "--json"])
    let separate = try SparsityExecutable.run(["measure", "--json", "--epsilon", "0.5", "-1,0,2"])
    #expect(inline.status == 0 && separate.status == 0)
    #expect(inline.standardOutput.contains("\"epsilon\":0.5") && inline.standardOutput == separate.standardOutput)
    let afterDashes = try SparsityExecutable.run(["measure", "--", "-1,0,2"])
    #expect(afterDashes.status == 0 && afterDashes.standardOutput.contains("3 values"))
  }

  @Test(arguments: [
    (["measure", "1,2", "--bogus"], "unknown option '--bogus'"),
    (["measure", "1,2", "-x"], "unknown option '-x'"),
    (["measure", "1,2", "--epsilon"], "option --epsilon needs a value"),
    (["measure", "1,2", "--json=yes"], "option --json takes no value"),
    (["measure", "1,2", "--json", "--json"], "given more than once"),
    (["measure", "1,2", "3,4"], "unexpected argument '3,4'"),
    (["frobnicate"], "unknown command 'frobnicate'"),
    ([], "missing command"),
  ])
  func usageErrorsExitWithTwo(arguments: [String], message: String) throws {
    let output = try SparsityExecutable.run(arguments)
    #expect(output.status == 2)
    #expect(
      output.standardError.hasPrefix("sparsity: ") && output.standardError.contains(message),
      "stderr: \(output.standardError)")
  }

  @Test(arguments: [["help"], ["--help"], ["help", "measure"], ["measure", "--help"], ["measure", "-h"]])
  func helpPrintsUsageAndSucceeds(arguments: [String]) throws {
    let output = try SparsityExecutable.run(arguments)
    #expect(output.status == 0)
    #expect(output.standardOutput.hasPrefix("usage: sparsity"))
    #expect(output.standardOutput.contains("measure"))
  }
}
