// swift-tools-version:6.1
import PackageDescription

// Two towers meet only in `LessonProtocol`:
// - the runtime a lesson program links (`TensorCore`, `Figures`, `LessonKit`, built as the dynamic library
//   `libLessonKit.so` that the runner compiles lessons against);
// - the tool that parses, compiles, runs and renders (`LessonEngine`, `SiteRenderer`, `cuaderno`).
// The runtime does the lessons' arithmetic, so it is optimised even in debug builds: `make render`
// and `cuaderno` use the debug build, and with an unoptimised runtime the LoRA lesson (seven small
// networks trained) took 16 s instead of 5.7 s. The tool tower stays unoptimised for quick
// rebuilds. (`unsafeFlags` is allowed in a root package.)
let optimizedRuntime: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Cuaderno",
    products: [
        .executable(name: "cuaderno", targets: ["cuaderno"]),
        .library(name: "LessonKit", type: .dynamic, targets: ["LessonKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.1"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // System libraries, found through pkg-config (Debian: libcmark-dev, libopenblas-dev, liblapacke-dev).
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(
            name: "COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),

        // The contract between the runtime and the tool: the records a lesson program writes.
        .target(name: "LessonProtocol"),

        // Runtime tower.
        // SIMD exp/sin/cos from glibc's libmvec, chosen for the CPU at run time, and huge-page hints.
        // Quantised matrix products for LlamaModel (quantized_kernels.c). Optimised in debug builds
        // too, like the rest of the runtime: the tests run SmolLM2 token by token, and unoptimised
        // intrinsics (every vector through the stack) made that several times slower.
        .target(
            name: "CTensorKernels",
            cSettings: [.unsafeFlags(["-O2"], .when(configuration: .debug))],
            linkerSettings: [.linkedLibrary("mvec"), .linkedLibrary("m")]),
        .target(name: "TensorCore", dependencies: ["COpenBLAS", "CTensorKernels"], swiftSettings: optimizedRuntime),
        // Layers, LoRA, optimizers and training helpers on TensorCore's autodiff; LlamaModel's
        // quantised matrix products from CTensorKernels.
        .target(name: "NN", dependencies: ["TensorCore", "CTensorKernels", "LessonProtocol"], swiftSettings: optimizedRuntime),
        // SVG charts drawn from plain arrays; knows nothing of tensors.
        .target(name: "Figures", swiftSettings: optimizedRuntime),
        // Swift 5 mode: the runtime must make glibc's `stdout` unbuffered (so a trap loses no
        // printed text), and Swift 6 refuses any reference to that C global. Lesson programs are
        // single-threaded, so the strict concurrency checks have nothing to protect here.
        .target(
            name: "LessonKit", dependencies: ["TensorCore", "NN", "Figures", "LessonProtocol"],
            swiftSettings: [.swiftLanguageMode(.v5)] + optimizedRuntime),

        // Tool tower.
        .target(name: "CProcessSupport"),
        .target(
            name: "LessonEngine",
            dependencies: [
                "CCmark", "CProcessSupport", "LessonProtocol", .product(name: "Yams", package: "Yams"),
                // SHA-256 for the execution cache's keys.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CSV", package: "CSV.swift"),
            ]),
        .target(
            name: "SiteRenderer",
            dependencies: [
                "LessonEngine", "CCmark", "Figures",
                .product(name: "SwiftSyntax", package: "swift-syntax"),
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftIDEUtils", package: "swift-syntax"),
            ]),
        .testTarget(name: "SiteRendererTests", dependencies: ["SiteRenderer"]),
        // What a command does with a course or a workbook, as a library: `cuaderno`'s commands and
        // the server are thin shells over it.
        .target(name: "CourseSession", dependencies: ["LessonEngine", "SiteRenderer"]),
        // The author's pipeline run in-process on a small course.
        .testTarget(name: "CourseSessionTests", dependencies: ["CourseSession"]),
        // `cuaderno serve`: the course live in the browser (Hummingbird, its WebSocket upgrade).
        .target(
            name: "CourseServer",
            dependencies: [
                "LessonEngine", "SiteRenderer", "CourseSession",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ]),
        .testTarget(name: "CourseServerTests", dependencies: ["CourseServer"]),
        .executableTarget(
            name: "cuaderno",
            dependencies: [
                "LessonEngine", "SiteRenderer", "CourseSession", "CourseServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // `swift run -c release cuaderno-bench`: the tensor core's speed, one JSON object of medians.
        .executableTarget(name: "cuaderno-bench", dependencies: ["TensorCore", "NN"], path: "Benchmarks/cuaderno-bench"),
        // `swift build -c release --product cuaderno-llama-bench`: SmolLM2's prompt and generation speed,
        // run beside llama.cpp by Benchmarks/llama_bench.py.
        .executableTarget(name: "cuaderno-llama-bench", dependencies: ["TensorCore", "NN"], path: "Benchmarks/llama-bench"),

        .testTarget(
            name: "TensorCoreTests",
            dependencies: ["TensorCore", .product(name: "PropertyBased", package: "swift-property-based")],
            exclude: ["Fixtures"]),
        .testTarget(name: "NNTests", dependencies: ["NN"], exclude: ["Fixtures"]),
        .testTarget(name: "FiguresTests", dependencies: ["Figures"], exclude: ["Fixtures", "References"]),
        .testTarget(name: "LessonEngineTests", dependencies: ["LessonEngine", "SiteRenderer"]),
    ]
)
