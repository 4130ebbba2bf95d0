import ArgumentParser
import CourseServer
import Foundation
import CourseSession
import LessonEngine
import SiteRenderer

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the course in your browser, live: a lesson's page follows its file as you save it.",
        discussion: """
            For an author: pages are rendered as 'cuaderno render' writes them, into the output folder, \
            the first time they are opened and again each time their lesson is saved; the open page \
            reloads itself once the new page is written, and shows the lesson's mistakes over the page, \
            each at its line. For a learner, --workbook [DIR]: your workbook's lessons run as \
            'cuaderno run' runs them (progress recorded, pages under Output/workbook/), and each exercise \
            has an editor and a Run button that writes your code into the lesson file and runs it; an \
            exercise changed in the file meanwhile is never overwritten. The server listens on \
            127.0.0.1 only and asks every request for the token in the URL it prints. Ctrl-C stops it.
            """)

    @Flag(help: "Serve your workbook (made by 'cuaderno start') instead of the course's lessons.")
    var workbook = false

    @Argument(help: "With --workbook: the workbook's folder (default: Workbook).")
    var workbookDirectory: String?

    @Option(help: "The port to listen on, on 127.0.0.1.")
    var port = 8000

    @Flag(help: "Do not open the course in a browser; only print its URL.")
    var noOpen = false

    @Option(name: .customLong("lessons-dir"), help: "The folder that holds the course's lessons.")
    var lessonsDirectory = "Lessons"

    @Option(name: .customLong("output"), help: "The folder the pages are written to.")
    var outputDirectory = "Output"

    @Option(name: .customLong("cache-dir"), help: "The folder of the execution cache.")
    var cacheDirectory = ".cuaderno-cache"

    @Option(help: "Seconds a lesson may run before it is stopped (default: the lesson's 'timeout:', else 60).")
    var timeout: Double?

    @Option(help: "The title of the course index page.")
    var title = "How transformers work, in Swift"

    func validate() throws {
        if workbookDirectory != nil && !workbook {
            throw ValidationError("a folder is named only with --workbook: 'cuaderno serve --workbook \(workbookDirectory ?? "")'")
        }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        if let timeout, !(timeout > 0) { throw ValidationError("--timeout must be a positive number of seconds") }
    }

    func run() async throws {
        let lessons = URL(fileURLWithPath: lessonsDirectory, isDirectory: true)
        let output = URL(fileURLWithPath: outputDirectory, isDirectory: true)
        let source: PageSource
        if workbook {
            let folder = URL(fileURLWithPath: workbookDirectory ?? "Workbook", isDirectory: true)
            do {
                source = .workbook(try WorkbookSession(directory: folder, courseLessons: lessons, outputDirectory: output,
                                                       timeout: timeout))
            } catch let problem as WorkbookProblem {
                throw ValidationError(problem.description)
            }
        } else {
            _ = try Course(directory: lessons)   // a missing or empty folder is said now, not in the browser
            let cache = URL(fileURLWithPath: cacheDirectory, isDirectory: true)
            let runner = try CourseRunner.besideExecutable(cache: ExecutionCache(directory: cache))
            source = .course(lessons: lessons, pipeline: CoursePipeline(runner: runner, timeout: timeout, jobs: 1),
                             writer: SiteWriter(outputDirectory: output, courseTitle: title, cacheDirectory: cache, search: true))
        }
        let updates = LiveUpdates()
        let preview = CoursePreview(source: source, updates: updates)
        let server = CourseServer(port: port, token: .random(), preview: preview, updates: updates)
        let opens = !noOpen, opensWorkbook = workbook
        let watched = workbook ? (workbookDirectory ?? "Workbook") : lessonsDirectory
        do {
            try await server.run {
                print("Serving \(opensWorkbook ? "your workbook" : "the course") at \(server.url)")
                print("Pages follow their lessons in \(watched)/ as you save them. Ctrl-C stops.")
                fflush(nil)
                if opens { BrowserLauncher.open(server.url) }
            }
        } catch let error as ServeError {
            throw ValidationError(error.description)
        }
        print("Stopped serving.")
    }
}

/// Opens a URL in the desktop's browser, when there is a desktop and a way to open one.
enum BrowserLauncher {
    static func open(_ url: String) {
        let environment = ProcessInfo.processInfo.environment
        guard environment["DISPLAY"] != nil || environment["WAYLAND_DISPLAY"] != nil else { return }
        for opener in ["/usr/bin/xdg-open", "/usr/bin/sensible-browser"] where FileManager.default.isExecutableFile(atPath: opener) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: opener)
            process.arguments = [url]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            if (try? process.run()) != nil { return }
        }
    }
}
