import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import Figures

/// One chart of every kind, on small deterministic data.
enum SampleCharts {
    static let tokens = ["El", "perro", "negro"]
    static let weights: [[Double]] = [[0.5, 0.3, 0.2], [0.1, 0.8, 0.1], [0.25, 0.25, 0.5]]

    static var heatmapChart: Heatmap {
        heatmap(weights, rows: tokens, columns: tokens, title: "Attention", annotate: true)
    }

    static var lineChart: LinePlot {
        var plot = LinePlot(title: "Training", xLabel: "step", yLabel: "loss", rightYLabel: "accuracy")
        plot.add([2.3, 1.1, 0.6, 0.4, 0.35], label: "loss", marker: .circle)
        plot.add([0.1, 0.5, 0.7, 0.8, 0.85], label: "accuracy", style: .dashed, axis: .right)
        return plot
    }

    static var logChart: LinePlot {
        lineplot([1000.0, 100, 10, 1, 0.1], title: "Loss", yScale: .log)
    }

    static var scatterChart: ScatterPlot {
        scatter([[0.0, 1.0], [1.0, 0.5], [-0.5, -1.0]], labels: tokens, title: "Embeddings")
    }

    static var barChart: BarChart {
        BarChart(categories: ["one", "two", "three"], title: "Counts").adding([3, 1, 2], label: "a").adding([1, 2, 3], label: "b")
    }

    static var vectorChart: VectorPlot3D {
        vectorPlot([[1.0, 0, 1], [0, 1, 1], [1, 1, 2]], labels: ["a", "b", "a + b"], showPlane: true, title: "Plane")
    }

    static var gridChart: Subplots {
        subplots(heatmapChart, lineChart, logChart, barChart, columns: 2, title: "Four panels")
    }

    static var all: [(name: String, chart: any Chart)] {
        [("heatmap", heatmapChart), ("line", lineChart), ("log", logChart), ("scatter", scatterChart),
         ("bar", barChart), ("vectors", vectorChart), ("grid", gridChart)]
    }
}

/// Parses an SVG document and collects what the tests look at.
final class SVGInspector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [String: String] = [:]
    private var current = ""
    private var currentText = ""

    static func parse(_ svg: String) -> SVGInspector? {
        let inspector = SVGInspector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = inspector
        return parser.parse() ? inspector : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]) {
        elements.append((name, attributes))
        current = name
        currentText = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        currentText += string
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if texts[name] == nil { texts[name] = currentText }
    }
}

@Suite("Charts as SVG")
struct ChartTests {
    @Test(arguments: SampleCharts.all.map(\.name))
    func everyChartIsWellFormedAndAccessible(name: String) throws {
        let chart = try #require(SampleCharts.all.first { $0.name == name }?.chart)
        let inspector = try #require(SVGInspector.parse(chart.svg), "\(name) is not well-formed XML")
        let root = try #require(inspector.elements.first)
        #expect(root.name == "svg")
        #expect(root.attributes["role"] == "img")
        #expect(root.attributes["class"] == "cuaderno-figure")
        #expect(root.attributes["fill"] == "currentColor")
        #expect(inspector.elements[1].name == "title" && inspector.elements[2].name == "desc")
        #expect(inspector.texts["title"] == chart.title)
        #expect(!(inspector.texts["desc"] ?? "").isEmpty)
        // No ids: many figures share one page.
        #expect(!inspector.elements.contains { $0.attributes["id"] != nil })
    }

    @Test func aSmallHeatmapIsWideEnoughForItsSemiboldTitle() {
        let title = "Test sentences: true class against prediction"
        let small = heatmap([[396, 141], [151, 369]], rows: ["negative", "positive"], columns: ["negative", "positive"],
                            title: title, annotate: true)
        // Titles are drawn semibold, about a tenth wider than the regular advances say.
        let semibold = TextMetrics.width(of: title, fontSize: TextMetrics.titleSize, bold: true)
        #expect(semibold > TextMetrics.width(of: title, fontSize: TextMetrics.titleSize) * 1.1)
        #expect(small.preferredSize.width >= semibold + 32)
        // The whole title is drawn, not cut with an ellipsis.
        #expect(small.svg.contains(">\(title)</text>"))
    }

    @Test func textIsEscaped() throws {
        let chart = heatmap([[1, 2]], rows: ["<script>"], columns: ["a & b", "\"q\""], title: "x < y")
        let svg = chart.svg
        #expect(svg.contains("&lt;script&gt;") && svg.contains("a &amp; b") && svg.contains("&quot;q&quot;"))
        #expect(!svg.contains("<script>"))
        #expect(SVGInspector.parse(svg) != nil)
    }

    @Test func aPositionalEncodingHeatmapStaysUnder300KB() {
        let encoding = (0..<100).map { position in
            (0..<128).map { dimension -> Double in
                let angle = Double(position) / pow(10_000, Double(dimension / 2 * 2) / 128)
                return dimension % 2 == 0 ? sin(angle) : cos(angle)
            }
        }
        let svg = heatmap(encoding, title: "Positional encoding", colorMap: .coolwarm).svg
        #expect(svg.utf8.count < 300_000)
        #expect(SVGInspector.parse(svg) != nil)
        // Round numbers label the 128 columns, not 128 crowded labels.
        #expect(svg.contains(">120</text>") && !svg.contains(">17</text>"))
    }

    @Test func largeMatricesAreDownsampledAndSaySo() {
        let big = (0..<450).map { row in (0..<300).map { Double(row * $0) } }
        let chart = heatmap(big)
        #expect(chart.values.count == 150 && chart.values[0].count == 150)
        // Each drawn cell is the mean of a 3 × 2 block.
        #expect(chart.values[1][1] == [3 * 2, 3 * 3, 4 * 2, 4 * 3, 5 * 2, 5 * 3].map(Double.init).reduce(0, +) / 6)
        #expect(chart.accessibleDescription.contains("Downsampled from 450 × 300 to 150 × 150"))
    }

    @Test func cellsOfOneColourAreMergedIntoRuns() {
        let chart = heatmap([[1, 1, 1, 1], [0, 0, 1, 1]])
        let svg = chart.svg
        #expect(svg.contains("M0 0h4v1h-4z"))
        #expect(svg.contains("M0 1h2v1h-2z") && svg.contains("M2 1h2v1h-2z"))
    }

    @Test func longCategoryLabelsAreRotatedAndShortened() {
        let name = "attention projections (Q, K, V and the output projection)"
        let svg = bar([name, "feed-forward network", "layer norms"], [1, 2, 3]).svg
        #expect(svg.contains("rotate(-40"))
        #expect(svg.contains("…</text>"))
        #expect(svg.contains("<title>\(name)</title>"))
        let short = bar(["a", "b"], [1, 2]).svg
        #expect(!short.contains("rotate("))
    }

    @Test func twinAxesTakeTheirSeriesColours() {
        let svg = SampleCharts.lineChart.svg
        // The left axis label (turned −90°) in the loss colour, the right one (turned 90°) in the accuracy colour.
        #expect(svg.contains("fill=\"#0072b2\" transform=\"rotate(-90"))
        #expect(svg.contains("fill=\"#d55e00\" transform=\"rotate(90"))
        #expect(svg.contains("stroke-dasharray=\"6 4\""))
    }

    @Test func logAxesLabelPowersOfTen() {
        let svg = SampleCharts.logChart.svg
        #expect(svg.contains(">10⁻¹</text>") && svg.contains(">10³</text>"))
    }

    @Test func theViewOfAPlaneFacesTheReader() {
        let chart = SampleCharts.vectorChart
        let normal = Vector3(-1, -1, 1)
        let facing = abs(chart.projection.towardViewer.dot(normal)) / normal.length
        #expect(facing > 0.6)
        #expect(chart.accessibleDescription.contains("a = (1, 0, 1)"))
    }

    @Test func subplotsDescribeEveryPanel() {
        let description = SampleCharts.gridChart.accessibleDescription
        #expect(description.hasPrefix("4 panels in a grid of 2 × 2."))
        #expect(description.contains("Panel 3, Loss: Line plot of 1 series"))
    }
}

@Suite("Saving figures")
struct FigureFileTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cuaderno-figures-\(UUID().uuidString)")

    @Test func writesAndReplacesItsOwnFiles() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("nested/attention.svg").path
        try SampleCharts.heatmapChart.write(toFile: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == SampleCharts.heatmapChart.svg)
        try SampleCharts.barChart.write(toFile: path)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == SampleCharts.barChart.svg)
    }

    @Test func neverReplacesAFileItDidNotDraw() throws {
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent("notes.svg").path
        try "<svg>my own drawing</svg>".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: FigureFileError.self) { try SampleCharts.heatmapChart.write(toFile: path) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "<svg>my own drawing</svg>")
    }

    @Test func needsAnSVGExtension() {
        #expect(throws: FigureFileError.self) { try SampleCharts.heatmapChart.write(toFile: folder.appendingPathComponent("x.png").path) }
    }
}
