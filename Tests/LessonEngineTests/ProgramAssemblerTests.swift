import Testing
@testable import LessonEngine

@Suite struct ProgramAssemblerTests {
    @Test func cellsNestMapToTheirLinesAndImportsAreLifted() throws {
        let lesson = try parseLesson("""
            ---
            title: T
            ---
            ```swift
            import Foundation
            let x = 1
            ```
            ```swift fails
            let y: Int = "no"
            ```
            ```swift norun
            never()
            ```
            ```swift
            let x = x + 1
            ```
            """).get()
        let program = ProgramAssembler().assemble(lesson, cells: lesson.cells, key: "K")
        #expect(program.cellIndices == [0, 1, 3])
        #expect(program.source == """
            import LessonKit
            #sourceLocation(file: "Lessons/test.md", line: 5)
            import Foundation
            #sourceLocation()
            LessonRuntime.start(key: "K")
            do {
            LessonRuntime.beginCell(0, key: "K")
            #sourceLocation(file: "Lessons/test.md", line: 5)

            let x = 1
            #sourceLocation()
            LessonRuntime.endCell(0, key: "K")
            if LessonRuntime.runs(cell: 1) {
            LessonRuntime.beginCell(1, key: "K")
            #sourceLocation(file: "Lessons/test.md", line: 9)
            let y: Int = "no"
            #sourceLocation()
            LessonRuntime.endCell(1, key: "K")
            }
            do {
            LessonRuntime.beginCell(3, key: "K")
            #sourceLocation(file: "Lessons/test.md", line: 15)
            let x = x + 1
            #sourceLocation()
            LessonRuntime.endCell(3, key: "K")
            }
            }
            LessonRuntime.finish(key: "K")

            """)
    }

    @Test func recognisesImportDeclarations() {
        #expect(ProgramAssembler.isImport("import Foundation"))
        #expect(ProgramAssembler.isImport("  @testable import Foo"))
        #expect(ProgramAssembler.isImport("import struct Foundation.Date"))
        #expect(!ProgramAssembler.isImport("let important = 1"))
        #expect(!ProgramAssembler.isImport("// import Foundation"))
    }

    @Test func pathsBecomeSafeStringLiterals() {
        #expect(ProgramAssembler.stringLiteral(#"Lessons/a "b"\c.md"#) == #""Lessons/a \"b\"\\c.md""#)
    }

    @Test func diagnosticsAreParsedWithTheirNotes() {
        let output = """
            Lessons/x.md:12:5: error: cannot find 'y' in scope
            print(y)
                  ^
            Lessons/x.md:3:1: note: did you mean 'x'?
            <unknown>:0: error: missing required module 'COpenBLAS'
            """
        let diagnostics = SwiftCompiler.parseDiagnostics(output)
        #expect(diagnostics.count == 2)
        #expect(diagnostics[0].file == "Lessons/x.md")
        #expect(diagnostics[0].line == 12)
        #expect(diagnostics[0].column == 5)
        #expect(diagnostics[0].message == "cannot find 'y' in scope")
        #expect(diagnostics[0].text.hasSuffix("note: did you mean 'x'?"))
        #expect(diagnostics[1].file == "<unknown>")
    }
}
