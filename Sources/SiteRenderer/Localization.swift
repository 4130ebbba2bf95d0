import LessonEngine

/// The words of the pages' interface, in each language a lesson may choose with `lang:` in its
/// front matter. Every word a page shows that is not the lesson's own comes from here.
public struct InterfaceStrings: Sendable {
    /// The language code, for `<html lang>`.
    public var language: String

    var courseIndex: String
    var contents: String
    var previous: String
    var next: String
    var lessonNavigation: String
    var output: String
    var setupCode: String
    var shownNotRun: String
    var expectedToFail: String
    var failedAsIntended: String
    var compileError: String
    var runtimeError: String
    var timeLimit: String
    var outputLimit: String
    var unexpectedSuccess: String
    var lessonNotRun: String
    var lessonFileHasMistakes: String
    var mathErrors: String
    var exercise: String
    var check: String
    var checkPassed: String
    var checkFailed: String
    var hint: String
    /// "Another hint", the fold around a check's next hint tier.
    var anotherHint: String
    /// "Figure", before a named figure's number.
    var figure: String
    /// "Search", the search box's label and button.
    var search: String
    /// "Every section of the course", the search page's list for readers without JavaScript.
    var allSections: String
    /// "3 results" (the search page's script puts the count in place of a leading 0).
    var resultCount: @Sendable (Int) -> String
    var hiddenCheck: String
    var lessons: String
    var notRendered: String
    /// A workbook lesson the learner has not run yet.
    var notStarted: String
    /// "7 cells ran".
    var cellsRan: @Sendable (Int) -> String
    /// "1 of 7 cells failed".
    var cellsFailed: @Sendable (_ failed: Int, _ of: Int) -> String
    /// "3 errors in the lesson file".
    var errorsInFile: @Sendable (Int) -> String
    /// "2 mistakes in formulas".
    var mathErrorCount: @Sendable (Int) -> String
    /// "4/4 checks ✓", for lessons with exercises.
    var checksPassed: @Sendable (_ passed: Int, _ total: Int) -> String
    /// "1/2 points": earned of possible.
    var points: @Sendable (_ earned: Int, _ possible: Int) -> String
    /// "1,999,780 lines not shown (13.9 MB)": what a cell's long output left out.
    var linesNotShown: @Sendable (_ lines: Int, _ bytes: Int) -> String

    /// The heading of a cell's failure: "Compile error", "Runtime error"…
    func failureTitle(_ kind: CellFailure.Kind) -> String {
        switch kind {
        case .compileError: compileError
        case .runtimeError: runtimeError
        case .timedOut: timeLimit
        case .outputLimit: outputLimit
        case .unexpectedSuccess: unexpectedSuccess
        }
    }

    /// The strings for a language code; English for any language without a table.
    public static func forLanguage(_ code: String) -> InterfaceStrings {
        code == "es" ? spanish : english
    }

    public static let english = InterfaceStrings(
        language: "en",
        courseIndex: "Course index", contents: "Contents", previous: "Previous", next: "Next",
        lessonNavigation: "Lessons", output: "Output", setupCode: "Setup code",
        shownNotRun: "Shown, not run", expectedToFail: "Expected to fail", failedAsIntended: "Failed, as intended",
        compileError: "Compile error", runtimeError: "Runtime error", timeLimit: "Time limit",
        outputLimit: "Output limit", unexpectedSuccess: "Expected to fail, but succeeded",
        lessonNotRun: "The lesson could not be run",
        lessonFileHasMistakes: "This lesson file has mistakes and was not run",
        mathErrors: "Mistakes in this page's formulas",
        exercise: "Exercise", check: "Check", checkPassed: "Check passed", checkFailed: "Check failed", hint: "Hint", anotherHint: "Another hint", figure: "Figure", search: "Search", allSections: "Every section of the course",
        resultCount: { "\($0) \($0 == 1 ? "result" : "results")" },
        hiddenCheck: "hidden check, run when grading", lessons: "Lessons", notRendered: "not rendered in this run", notStarted: "not started",
        cellsRan: { "\($0) \($0 == 1 ? "cell" : "cells") ran" },
        cellsFailed: { "\($0) of \($1) \($1 == 1 ? "cell" : "cells") failed" },
        errorsInFile: { "\($0) \($0 == 1 ? "error" : "errors") in the lesson file" },
        mathErrorCount: { "\($0) \($0 == 1 ? "mistake" : "mistakes") in formulas" },
        checksPassed: { "\($0)/\($1) checks ✓" },
        points: { "\($0)/\($1) \($1 == 1 ? "point" : "points")" },
        linesNotShown: { lines, bytes in
            "\(grouped(lines, by: ",")) \(lines == 1 ? "line" : "lines") not shown (\(size(bytes, decimalMark: ".")))"
        })

    public static let spanish = InterfaceStrings(
        language: "es",
        courseIndex: "Índice del curso", contents: "Contenido", previous: "Anterior", next: "Siguiente",
        lessonNavigation: "Lecciones", output: "Salida", setupCode: "Código de preparación",
        shownNotRun: "Se muestra, no se ejecuta", expectedToFail: "Debe fallar", failedAsIntended: "Falló, como debía",
        compileError: "Error de compilación", runtimeError: "Error de ejecución", timeLimit: "Límite de tiempo",
        outputLimit: "Límite de salida", unexpectedSuccess: "Debía fallar, pero funcionó",
        lessonNotRun: "No se pudo ejecutar la lección",
        lessonFileHasMistakes: "Este archivo de lección tiene errores y no se ejecutó",
        mathErrors: "Errores en las fórmulas de esta página",
        exercise: "Ejercicio", check: "Comprobación", checkPassed: "Comprobación superada", checkFailed: "Comprobación fallida", hint: "Pista", anotherHint: "Otra pista", figure: "Figura", search: "Buscar", allSections: "Todas las secciones del curso",
        resultCount: { "\($0) \($0 == 1 ? "resultado" : "resultados")" },
        hiddenCheck: "comprobación oculta, se ejecuta al calificar", lessons: "Lecciones", notRendered: "no se generó en esta ejecución", notStarted: "sin empezar",
        cellsRan: { "\($0) \($0 == 1 ? "celda ejecutada" : "celdas ejecutadas")" },
        cellsFailed: { "\($0) de \($1) \($1 == 1 ? "celda" : "celdas") \($0 == 1 ? "falló" : "fallaron")" },
        errorsInFile: { "\($0) \($0 == 1 ? "error" : "errores") en el archivo de la lección" },
        mathErrorCount: { "\($0) \($0 == 1 ? "error" : "errores") en fórmulas" },
        checksPassed: { "\($0)/\($1) comprobaciones ✓" },
        points: { "\($0)/\($1) \($1 == 1 ? "punto" : "puntos")" },
        linesNotShown: { lines, bytes in
            "\(grouped(lines, by: ".")) \(lines == 1 ? "línea no mostrada" : "líneas no mostradas") (\(size(bytes, decimalMark: ",")))"
        })

    /// `1999780` → `1,999,780` (with `separator` between groups of three digits).
    static func grouped(_ number: Int, by separator: String) -> String {
        let digits = String(number.magnitude)
        var groups: [Substring] = []
        var end = digits.endIndex
        while end > digits.startIndex {
            let start = digits.index(end, offsetBy: -3, limitedBy: digits.startIndex) ?? digits.startIndex
            groups.insert(digits[start..<end], at: 0)
            end = start
        }
        return (number < 0 ? "-" : "") + groups.joined(separator: separator)
    }

    /// A size in bytes, kB or MB (powers of 1000) with one decimal above a kilobyte.
    static func size(_ bytes: Int, decimalMark: String) -> String {
        func oneDecimal(_ value: Double) -> String {
            let tenths = Int((value * 10).rounded())
            return "\(tenths / 10)\(decimalMark)\(tenths % 10)"
        }
        if bytes < 1_000 { return "\(bytes) bytes" }
        if bytes < 1_000_000 { return oneDecimal(Double(bytes) / 1_000) + " kB" }
        return oneDecimal(Double(bytes) / 1_000_000) + " MB"
    }
}
