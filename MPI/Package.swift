// swift-tools-version:6.0
//
// Sparsity on MPI: the optional layer that runs training across processes and hosts. A package
// of its own, so that Sparsity's library, `make demo` and `make test` neither need nor link MPI.
//   CMPI          system library: Open MPI through pkg-config (`ompi-c`; Debian's libopenmpi-dev)
//   SparsityMPI   the communicator (allreduce, broadcast, gather, barrier) with MPI's errors as
//                 Swift errors, and the fixed-order sums that make N ranks agree bit for bit
//   sparsity-mpi  the `sparsity` tool built from the same sources (Sources/sparsity links to
//                 ../../Sources/SparsityCLI), where `canImport(SparsityMPI)` turns on the ranks:
//                 `mpirun -np N sparsity-mpi sae train ...` (scripts/mpi.sh builds and checks it)
// Build: `make mpi` from the Sparsity root (installs Open MPI when asked: scripts/bootstrap.sh mpi).
import PackageDescription

/// SwiftPM names a path dependency after its folder: the Sparsity checkout one level up may be
/// called `Sparsity`, `main` or anything else, so take its name from the path.
let sparsityPackage = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "Sparsity")

let package = Package(
  name: "SparsityMPI",
  products: [
    .library(name: "SparsityMPI", targets: ["SparsityMPI"]),
    .executable(name: "sparsity-mpi", targets: ["SparsityMPITool"]),
  ],
  dependencies: [.package(path: "..")],
  targets: [
    .systemLibrary(
      name: "CMPI",
      pkgConfig: "ompi-c",
      providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]
    ),
    .target(
      name: "SparsityMPI",
      dependencies: ["CMPI", .product(name: "Sparsity", package: sparsityPackage)],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .executableTarget(
      name: "SparsityMPITool",
      dependencies: ["SparsityMPI", .product(name: "Sparsity", package: sparsityPackage)],
      path: "Sources/sparsity",
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
  ]
)
