import Foundation

/// Where the prebuilt lesson runtime (`libLessonKit.so` and its Swift modules) lives, and the
/// compiler flags that let a lesson program import and link it.
///
/// `swift build` writes the library next to the `cuaderno` executable, so by default the runtime
/// is found beside the running program (the test runner lives in the same folder).
public struct RuntimeLibrary: Sendable, Equatable {
    /// The build products folder, e.g. `.build/debug`.
    public var buildDirectory: URL
    /// The package's root (it holds the C shims' module maps that the runtime's modules refer to).
    public var packageRoot: URL

    /// Why the runtime could not be found.
    public struct NotFound: Error, CustomStringConvertible, Sendable {
        public var description: String
    }

    public init(buildDirectory: URL, packageRoot: URL) {
        self.buildDirectory = buildDirectory
        self.packageRoot = packageRoot
    }

    /// Finds the runtime beside the running executable.
    public static func besideExecutable() throws(NotFound) -> RuntimeLibrary {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        return try inBuildDirectory(executable.deletingLastPathComponent())
    }

    /// Finds the runtime in a SwiftPM build products folder such as `.build/debug`.
    public static func inBuildDirectory(_ directory: URL) throws(NotFound) -> RuntimeLibrary {
        let fileManager = FileManager.default
        let library = directory.appendingPathComponent("libLessonKit.so")
        let module = directory.appendingPathComponent("Modules/LessonKit.swiftmodule")
        guard fileManager.fileExists(atPath: library.path), fileManager.fileExists(atPath: module.path) else {
            throw NotFound(description: """
                the lesson runtime is not built: \(library.path) is missing. \
                Run 'swift build' (or 'make render') in the Cuaderno folder first.
                """)
        }
        var candidate = directory
        while candidate.path != "/" {
            if fileManager.fileExists(atPath: candidate.appendingPathComponent("Sources/COpenBLAS/module.modulemap").path) {
                return RuntimeLibrary(buildDirectory: directory, packageRoot: candidate)
            }
            candidate.deleteLastPathComponent()
        }
        throw NotFound(description: "cannot find the Cuaderno package (Sources/COpenBLAS) above \(directory.path)")
    }

    /// The files whose bytes identify this build of the runtime: the library lessons link and
    /// the module they import.
    public var identifyingFiles: [URL] {
        [buildDirectory.appendingPathComponent("libLessonKit.so"),
         buildDirectory.appendingPathComponent("Modules/LessonKit.swiftmodule")]
    }

    /// Compiler arguments that make `import LessonKit` work and link the program against it.
    ///
    /// The runtime's Swift modules record their dependencies on the `COpenBLAS` and
    /// `CTensorKernels` C modules, so a client must be able to find those module maps (and the
    /// OpenBLAS headers they include) too.
    public func compilerArguments(openBLASIncludeFlags: [String]) -> [String] {
        let build = buildDirectory.path
        var arguments = [
            "-I", build + "/Modules",
            "-I", packageRoot.appendingPathComponent("Sources/COpenBLAS").path,
            "-I", packageRoot.appendingPathComponent("Sources/CTensorKernels/include").path,
            "-L", build, "-lLessonKit",
            "-Xlinker", "-rpath", "-Xlinker", build,
        ]
        for flag in openBLASIncludeFlags {
            arguments += ["-Xcc", flag]
        }
        return arguments
    }
}
