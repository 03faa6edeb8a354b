// swift-tools-version:6.0
//
// The libFuzzer harnesses of Sparsity's file parsers: one executable, `sparsity-fuzz`, whose
// target parser is named by the environment variable SPARSITY_FUZZ_TARGET (`FuzzTarget`).
// It depends on Sparsity by path and is built only as scripts/fuzz.sh builds it (libFuzzer and
// AddressSanitizer from the command line, `swift build -c release --sanitize=fuzzer ...` in this
// folder) with its own .build folder, so the root package and its build are untouched. No file
// is named main.swift and none has @main: libFuzzer supplies `main`.
import PackageDescription

/// SwiftPM names a path dependency after its folder: the Sparsity checkout one level up may be
/// called `Sparsity`, `sparsity` or anything else (a git worktree), so take its name from the path.
let sparsityPackage = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "Sparsity")

let package = Package(
  name: "SparsityFuzz",
  dependencies: [.package(path: "..")],
  targets: [
    .executableTarget(
      name: "sparsity-fuzz",
      dependencies: [.product(name: "Sparsity", package: sparsityPackage)],
      path: "Sources/SparsityFuzz",
      swiftSettings: [.swiftLanguageMode(.v6)]
    )
  ]
)
