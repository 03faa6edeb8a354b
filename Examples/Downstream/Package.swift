// swift-tools-version:6.0
//
// A downstream package: depends on Sparsity by path, as an application would by URL, and uses
// only its public API. Build and run: `swift build -c release && .build/release/downstream`
// (or scripts/check-downstream.sh from the Sparsity root).
import PackageDescription

/// SwiftPM names a path dependency after its folder: the Sparsity checkout two levels up may be
/// called `Sparsity`, `sparsity` or anything else (a git worktree), so take its name from the path.
let sparsityPackage = String(Context.packageDirectory.split(separator: "/").dropLast(2).last ?? "Sparsity")

let package = Package(
  name: "Downstream",
  dependencies: [.package(path: "../..")],
  targets: [
    .executableTarget(
      name: "downstream",
      dependencies: [.product(name: "Sparsity", package: sparsityPackage)],
      path: "Sources/Downstream",
      swiftSettings: [.swiftLanguageMode(.v6)]
    )
  ]
)
