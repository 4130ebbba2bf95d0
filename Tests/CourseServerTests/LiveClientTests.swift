import Foundation
import Testing
@testable import CourseServer

@Suite struct LiveClientTests {
    @Test func theScriptAndTheProblemsGoAtTheEndOfTheHead() throws {
        let html = "<!DOCTYPE html>\n<html><head><title>T</title></head><body><p>x</p></body></html>"
        let data = PageData(problems: [PageProblem(line: 12, message: "a </script> in a message", anchor: "cell-2")],
                            exercises: [PageData.Exercise(id: "mask", anchor: "cell-mask", code: "todo()\n")])
        let served = LiveClient.inject(into: html, data: data)
        #expect(served.hasPrefix("<!DOCTYPE html>\n<html><head><title>T</title><script type=\"application/json\" id=\"cuaderno-page\">"))
        #expect(served.contains("<script src=\"/__cuaderno/live.js\" defer></script>\n</head><body><p>x</p></body></html>"))
        // The message cannot close the data's <script> early.
        #expect(!served.contains("a </script>"))
        let start = try #require(served.range(of: "id=\"cuaderno-page\">").map { served[$0.upperBound...] })
        let json = String(start[..<start.range(of: "</script>")!.lowerBound]).replacingOccurrences(of: "<\\/", with: "</")
        #expect(try JSONDecoder().decode(PageData.self, from: Data(json.utf8)) == data)
    }

    @Test func aMessageIsTheJSONThePageReads() {
        let message = LiveMessage(kind: .reload, page: "01-a.html", lesson: "Lessons/01-a.md")
        #expect(message.json == #"{"kind":"reload","lesson":"Lessons\/01-a.md","page":"01-a.html"}"#)
    }
}
