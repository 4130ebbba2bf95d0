import Foundation
import Testing
@testable import Figures

/// Every kind of chart compared byte for byte with SVG files kept in `References/`: drawn in a
/// new process each test run, so this is also the determinism test (the same chart gives the
/// same bytes, whatever order a dictionary happens to iterate in).
///
/// After a deliberate change to how charts are drawn, re-record them with
/// `CUADERNO_RECORD_REFERENCES=1 swift test --filter ReferenceSVGTests`, look at the new files in
/// a browser, and commit them with the change.
@Suite("Reference SVGs")
struct ReferenceSVGTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("References")
    static let recording = ProcessInfo.processInfo.environment["CUADERNO_RECORD_REFERENCES"] == "1"

    @Test(arguments: SampleCharts.all.map(\.name))
    func matchesItsReference(name: String) throws {
        let chart = try #require(SampleCharts.all.first { $0.name == name }?.chart)
        let url = Self.folder.appendingPathComponent("\(name).svg")
        if Self.recording {
            try Data(chart.svg.utf8).write(to: url, options: .atomic)
            return
        }
        let reference = try String(contentsOf: url, encoding: .utf8)
        #expect(chart.svg == reference, "\(name).svg differs from its reference; re-record if the change is intended")
    }
}
