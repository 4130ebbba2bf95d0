import Foundation
import Testing
@testable import CourseServer

@Suite struct LiveClientTests {
    @Test func theScriptAndTheProblemsGoAtTheEndOfTheHead() throws {
        let html = "<!DOCTYPE html>\n<html><head><title>T</title></head><body><p>x</p></body></html>"
        let served = LiveClient.inject(into: html, problems: [PageProblem(line: 12, message: "a </script> in a message", anchor: "cell-2")])
        #expect(served.hasPrefix("<!DOCTYPE html>\n<html><head><title>T</title><script type=\"application/json\" id=\"cuaderno-problems\">"))
        #expect(served.contains("<script src=\"/__cuaderno/live.js\" defer></script>\n</head><body><p>x</p></body></html>"))
        // The message cannot close the data's <script> early.
        #expect(!served.contains("a </script>"))
        let data = try #require(served.range(of: "id=\"cuaderno-problems\">").map { served[$0.upperBound...] })
        let json = String(data[..<data.range(of: "</script>")!.lowerBound]).replacingOccurrences(of: "<\\/", with: "</")
        let problems = try JSONDecoder().decode([PageProblem].self, from: Data(json.utf8))
        #expect(problems == [PageProblem(line: 12, message: "a </script> in a message", anchor: "cell-2")])
    }

    @Test func aMessageIsTheJSONThePageReads() {
        let message = LiveMessage(kind: .reload, page: "01-a.html", lesson: "Lessons/01-a.md")
        #expect(message.json == #"{"kind":"reload","lesson":"Lessons\/01-a.md","page":"01-a.html"}"#)
    }
}
