// swift-tools-version:6.0
//
// Sparsity: induce, measure, explain and cash in sparsity in neural networks.
//
// Modules, lowest layer first (a module never imports one above it):
//   CBLAS          system library: OpenBLAS through pkg-config (Accelerate on Apple platforms)
//   CZlib          system library: zlib through pkg-config (gzip files, PNG, the embedded digits)
//   CSparsityKernels  C: the kernels' inner loops compiled per instruction set (baseline,
//                  AVX2+FMA, AVX-512) and chosen at run time, so no CPU flags are needed
//   SparsityCore   numeric core: tensors, seeded random numbers, sparse formats, zero-skipping
//                  kernels, sparsity metrics
//   SparsityIO     files and data sets: NPY/NPZ, safetensors, CSV, PNG/PGM, WAV, JSON, gzip/zip,
//                  MNIST, the embedded digits, labeled data sets, patches and whitening
//   SparsityNN     neural networks that learn sparse: layers, losses, optimizers, regularizers,
//                  training, model files
//   SparsityCoding sparse coding: Lasso solvers and dictionary learning
//   SparsityAnalysis  what a trained network's sparsity is: activation and weight statistics per
//                  layer, dead and always-on units, class selectivity, top-activating inputs
//   SparsityAutoencoders  sparse autoencoders for interpretability: TopK, BatchTopK, JumpReLU and
//                  L1 SAEs trained on activation rows with kernels that touch only the active
//                  latents, their metrics, and files in SAELens's layout
//   SparsityInference cash in the zeros: a compiled sparse model that picks the fastest kernel
//                  per layer by timing candidates
//   SparsityReport the offline HTML report: inline SVG charts, PNG images, tables
//   SparsityBench  kernel benchmarks (dense BLAS against every zero-skipping kernel)
//   SparsityExperiments  what the tool runs, as a library: typed training recipes, data prepared
//                  and split as a model's record says, the sweep, the demo's runs, claims and choices,
//                  the samples and inputs of sparse coding, and the HTML reports of demo, analyze
//                  and sweep
//   SparsityCLI    the `sparsity` command-line tool: parses options and prints
import PackageDescription

let package = Package(
  name: "Sparsity",
  products: [
    .library(
      name: "Sparsity",
      targets: [
        "SparsityCore", "SparsityIO", "SparsityNN", "SparsityCoding", "SparsityAnalysis", "SparsityAutoencoders",
        "SparsityInference", "SparsityReport", "SparsityBench", "SparsityExperiments",
      ]
    ),
    .executable(name: "sparsity", targets: ["SparsityCLI"]),
  ],
  targets: [
    // MARK: - Public API
    .target(
      name: "SparsityCore",
      dependencies: [.target(name: "CBLAS", condition: .when(platforms: [.linux])), "CSparsityKernels"],
      swiftSettings: [.swiftLanguageMode(.v6)],
      linkerSettings: [.linkedFramework("Accelerate", .when(platforms: [.macOS, .iOS]))]
    ),
    .target(
      name: "SparsityIO",
      dependencies: ["SparsityCore", "CZlib"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .target(
      name: "SparsityNN",
      dependencies: ["SparsityCore", "SparsityIO"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .target(
      name: "SparsityCoding",
      dependencies: ["SparsityCore"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .target(
      name: "SparsityAnalysis",
      dependencies: ["SparsityCore", "SparsityIO", "SparsityNN"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .target(
      name: "SparsityAutoencoders",
      dependencies: ["SparsityCore", "SparsityIO"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .target(
      name: "SparsityInference",
      dependencies: ["SparsityCore", "SparsityIO", "SparsityNN"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .target(
      name: "SparsityReport",
      dependencies: ["SparsityCore", "SparsityIO"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .target(
      name: "SparsityBench",
      dependencies: ["SparsityCore", "SparsityIO", "SparsityNN"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .target(
      name: "SparsityExperiments",
      dependencies: [
        "SparsityCore", "SparsityIO", "SparsityNN", "SparsityCoding", "SparsityAnalysis", "SparsityAutoencoders",
        "SparsityInference", "SparsityReport", "SparsityBench",
      ],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .executableTarget(
      name: "SparsityCLI",
      dependencies: [
        "SparsityCore", "SparsityIO", "SparsityNN", "SparsityCoding", "SparsityAnalysis", "SparsityAutoencoders",
        "SparsityInference", "SparsityReport", "SparsityBench", "SparsityExperiments",
      ],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),

    // MARK: - Implementation details
    .target(name: "CSparsityKernels"),
    .systemLibrary(
      name: "CBLAS",
      pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]
    ),
    .systemLibrary(
      name: "CZlib",
      pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]
    ),

    // MARK: - Unit test bundles
    .target(
      name: "SparsityTestSupport",
      dependencies: ["SparsityCore", "SparsityIO", "SparsityNN"],
      path: "Tests/SparsityTestSupport",
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "SparsityCoreTests",
      dependencies: ["SparsityCore", "SparsityTestSupport"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "SparsityIOTests",
      dependencies: ["SparsityIO", "SparsityTestSupport"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "SparsityNNTests",
      dependencies: ["SparsityNN", "SparsityIO", "SparsityTestSupport"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "SparsityCodingTests",
      dependencies: ["SparsityCoding"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "SparsityAnalysisTests",
      dependencies: ["SparsityAnalysis", "SparsityIO"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "SparsityAutoencodersTests",
      dependencies: ["SparsityAutoencoders", "SparsityTestSupport"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "SparsityInferenceTests",
      dependencies: ["SparsityInference", "SparsityTestSupport"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "SparsityReportTests",
      dependencies: ["SparsityReport", "SparsityIO"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "SparsityBenchTests",
      dependencies: ["SparsityBench", "SparsityIO"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "SparsityExperimentsTests",
      dependencies: ["SparsityExperiments", "SparsityInference", "SparsityTestSupport"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
    .testTarget(
      name: "SparsityCLITests",
      dependencies: ["SparsityCore", "SparsityIO", "SparsityTestSupport"],
      swiftSettings: [.swiftLanguageMode(.v6)]
    ),
  ]
)
