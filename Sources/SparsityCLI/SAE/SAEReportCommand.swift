// `sparsity sae report`: a saved autoencoder's latents on activation files, as an HTML dashboard.

import Foundation
import SparsityAutoencoders
import SparsityCore
import SparsityExperiments
import SparsityIO

/// The `report` form of `sparsity sae`.
enum SAEReportCommand {
  static let contexts = Option<String>(
    "contexts", "FILE", help: "a UTF-8 text file with one line per data row, the row's token marked as ⟦token⟧")
  static let imageShape = Option<ImageShape>(
    "image-shape", "ROWSxCOLUMNS", expected: "ROWSxCOLUMNS, two positive sizes whose product fits in 64 bits",
    help: "show the top rows as images of this shape (rows of ROWS * COLUMNS values)",
    parse: { AnalyzeCommand.parseImageShape($0).flatMap { $0 } })
  static let top = Option<Int>(
    "top", "N", expected: "an integer from 1 to 1000", default: "10", help: "top rows kept and shown per latent",
    parse: { Int($0).flatMap { (1...1000).contains($0) ? $0 : nil } })
  static let latents = Option<Int>(
    "latents", "N", expected: "an integer from 0 to 100000", default: "200",
    help: "latents given a card, the most frequently firing first",
    parse: { Int($0).flatMap { (0...100_000).contains($0) ? $0 : nil } })
  static let search = Option<String>(
    "search", "TEXT", help: "list the latents whose top rows' contexts contain TEXT (needs --contexts)")
  static let out = Option<String>(
    "out", "DIR", required: true, help: "write the dashboard (index.html and PNG images) to DIR")

  static let form = Command.Form(
    positional: Positional("report"),
    options: [
      SAECommand.sae.spec, SAECommand.data.spec, SAECommand.tensor.spec, contexts.spec, imageShape.spec, top.spec,
      latents.spec, search.spec, out.spec, SAECommand.json.spec,
    ],
    description: """
      Writes an offline HTML dashboard of a saved autoencoder on every row of the files: FVU, L0, the
      latent density histogram, then a card per latent (by firing frequency) with its activation
      histogram and top rows, shown with their contexts (--contexts) or as images (--image-shape).
      """)

  static func run(_ arguments: Arguments) throws {
    let output = try OutputPath.checkReportDirectory(try arguments.required(out, command: "sae report"), option: "out")
    let query = try arguments.value(search)
    let contextsPath = try arguments.value(contexts)
    if query != nil && contextsPath == nil {
      throw CLIError.invalidInput("sae report: --search needs --contexts (the text of each row)")
    }
    let autoencoder = try SAECommand.autoencoder(arguments, command: "sae report")
    let rows = try SAEEvalCommand.rowSet(arguments, autoencoder: autoencoder, command: "sae report")
    let files = SAECommand.files(try arguments.required(SAECommand.data, command: "sae report"))
    let job = SAEReportJob(
      source: files.map(\.relativePath).joined(separator: ", "), contexts: contextsPath.map(URL.init(fileURLWithPath:)),
      imageShape: try arguments.value(imageShape), top: try arguments.value(top, default: 10),
      shownLatents: try arguments.value(latents, default: 200), search: query, output: output)
    let result = try job.run(autoencoder, on: rows)
    if arguments.flag(SAECommand.json) {
      print(try JSONValue(encoding: result).text)
      return
    }
    print(text(result, query: query))
  }

  static func text(_ result: SAEReportJob.Result, query: String?) -> String {
    let e = result.evaluation
    var lines = [
      "Rows: \(e.rows)   FVU: \(e.fvuText)   L0: \(String(format: "%.2f", e.l0))   "
        + "never firing: \(String(format: "%.1f%%", 100 * e.deadFraction)) of \(e.firingCounts.count) latents",
      "Wrote \(result.index.relativePath) (\(result.shownLatents.count) latent cards, by firing frequency)",
    ]
    guard let query else { return lines.joined(separator: "\n") }
    // Contexts and the query are the user's text: control characters are escaped, so a
    // contexts file cannot restyle or rewrite the terminal.
    lines.append(
      "Latents whose top contexts contain '\(PrintableText.escaped(query))':" + (result.matches.isEmpty ? " none" : ""))
    for match in result.matches {
      lines.append("  latent \(match.latent): \(match.rows.count) of \(match.topRowCount) top rows")
      for (entry, context) in zip(match.rows, match.contexts).prefix(3) {
        lines.append("    \(String(format: "%8.3f", entry.activation))  \(PrintableText.escaped(context))")
      }
    }
    return lines.joined(separator: "\n")
  }
}
