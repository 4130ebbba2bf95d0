import Foundation
import Testing
@testable import Figures

/// The figures of a training run, on small fixed numbers.
enum TrainingFigureSamples {
    static var curves: LinePlot {
        trainingCurves(epochs: [1, 2, 3, 4, 5, 6], trainingLoss: [0.69, 0.52, 0.38, 0.29, 0.22, 0.16],
                       validationLoss: [0.68, 0.55, 0.44, 0.41, 0.43, 0.48],
                       validationAccuracy: [0.55, 0.7, 0.79, 0.82, 0.81, nil], bestEpoch: 4)
    }

    static var confusion: Heatmap {
        confusionMatrixHeatmap([[12, 3, 0], [2, 9, 1], [0, 4, 17]], classNames: ["negative", "neutral", "positive"])
    }

    static var classes: ScatterPlot {
        scatter([[0.0, 1.0], [1.0, 0.5], [-0.5, -1.0], [2.0, 2.0], [1.5, -0.5]], classes: [0, 1, 0, 2, 1],
                classNames: ["cat", "dog", "bird"], title: "Embeddings by class", xLabel: "PC 1", yLabel: "PC 2")
    }

    static var all: [(name: String, chart: any Chart)] {
        [("training-curves", curves), ("confusion-matrix", confusion), ("scatter-by-class", classes)]
    }
}

@Suite("Figures of training")
struct TrainingFigureTests {
    /// The texts of every `<text>` element, in order (a label shortened with a tooltip keeps its short form).
    private func texts(_ svg: String) -> [String] {
        svg.components(separatedBy: "<text").dropFirst().compactMap { element in
            guard let start = element.range(of: ">"), let end = element.range(of: "</text>") else { return nil }
            let inner = String(element[start.upperBound..<end.lowerBound])
            return inner.components(separatedBy: "</title>").last
        }
    }

    @Test(arguments: TrainingFigureSamples.all.map(\.name))
    func isWellFormed(name: String) throws {
        let chart = try #require(TrainingFigureSamples.all.first { $0.name == name }?.chart)
        let inspector = try #require(SVGInspector.parse(chart.svg), "\(name) is not well-formed XML")
        #expect(inspector.texts["title"] == chart.title)
        #expect(!inspector.elements.contains { $0.attributes["id"] != nil })
    }

    @Test func trainingCurvesLabelTheSeriesAxesAndBestEpoch() {
        let chart = TrainingFigureSamples.curves
        let shown = texts(chart.svg)
        for label in ["Training curves", "training loss", "validation loss", "validation accuracy", "epoch", "loss",
                      "best: epoch 4"] {
            #expect(shown.contains(label), "\(label) is not written in the figure")
        }
        // The accuracy is on the right axis, in its series' colour (the third of the palette).
        #expect(chart.svg.contains("fill=\"#009e73\" transform=\"rotate(90"))
        // The dashed grey line at the best epoch.
        #expect(chart.svg.contains("stroke=\"#7f7f7f\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\""))
        #expect(chart.accessibleDescription.contains("validation accuracy (5 points"))
        #expect(chart.accessibleDescription.hasSuffix("A vertical line marks x = 4 (best: epoch 4)."))
    }

    @Test func curvesWithoutValidationHaveOneAxis() {
        let chart = trainingCurves(epochs: [1, 2, 3], trainingLoss: [3, 2, 1])
        let shown = texts(chart.svg)
        #expect(shown.contains("training loss") && !shown.contains("validation loss"))
        #expect(!chart.svg.contains("rotate(90"))
        #expect(!chart.accessibleDescription.contains("vertical line"))
    }

    @Test func aVerticalLineStretchesTheAxisAndHasALegendEntry() {
        let plot = lineplot([1.0, 2, 3], x: [0.0, 1, 2]).addingVerticalLine(at: 10, label: "later", style: .dotted)
        #expect(plot.accessibleDescription.contains("The x axis runs from") && plot.accessibleDescription.contains("to 10.5"))
        #expect(texts(plot.svg).contains("later"))
        // The line and its legend swatch: grey and dotted.
        #expect(plot.svg.components(separatedBy: "stroke=\"#7f7f7f\" stroke-width=\"1.5\" stroke-dasharray=\"1.5 3\"").count == 2)
        #expect(plot.svg.contains("stroke=\"#7f7f7f\" stroke-width=\"2\" stroke-dasharray=\"1.5 3\""))
        let unlabelled = lineplot([1.0, 2, 3]).addingVerticalLine(at: 1)
        #expect(unlabelled.plotting.layout(in: Rect(x: 0, y: 0, width: 640, height: 380)).legend.entries.isEmpty)
    }

    @Test func theConfusionMatrixWritesCountsAndNamesItsAxes() {
        let chart = TrainingFigureSamples.confusion
        let shown = texts(chart.svg)
        for label in ["Confusion matrix", "negative", "neutral", "positive", "predicted class", "true class", "examples"] {
            #expect(shown.contains(label), "\(label) is not written in the figure")
        }
        for count in ["12", "3", "0", "2", "9", "1", "4", "17"] {
            #expect(shown.contains(count), "the count \(count) is not written in its cell")
        }
        #expect(chart.accessibleDescription.hasPrefix("Heatmap of a 3 × 3 matrix; rows: negative, neutral, positive"))
    }

    @Test func aNormalizedConfusionMatrixShowsEachTrueClassesShares() {
        let chart = confusionMatrixHeatmap([[3, 1], [0, 0]], classNames: ["no", "yes"], normalizeRows: true)
        let shown = texts(chart.svg)
        #expect(shown.contains("0.75") && shown.contains("0.25") && shown.contains("share of the true class"))
        // A class with no examples keeps a row of zeros rather than 0 / 0.
        #expect(chart.values[1] == [0, 0])
    }

    @Test func aScatterByClassHasOneGroupPerClass() {
        let chart = TrainingFigureSamples.classes
        #expect(chart.plotting.series.map(\.label) == ["cat", "dog", "bird"])
        #expect(chart.plotting.series.map(\.x) == [[0, -0.5], [1, 1.5], [2]])
        let colors = Set(chart.plotting.series.map(\.style.color.hex))
        #expect(colors.count == 3)
        let shown = texts(chart.svg)
        #expect(["cat", "dog", "bird", "PC 1", "PC 2", "Embeddings by class"].allSatisfy(shown.contains))
    }

    @Test func aClassWithoutPointsKeepsItsGroupAndColour() {
        let chart = scatter([[0.0, 0.0], [1.0, 1.0]], classes: [0, 2])
        #expect(chart.plotting.series.map(\.label) == ["class 0", "class 1", "class 2"])
        #expect(chart.plotting.series[1].x.isEmpty)
        #expect(chart.plotting.series[2].style.color == SeriesPalette.color(at: 2))
    }

    /// Byte-for-byte references, re-recorded like the others (see ``ReferenceSVGTests``).
    @Test(arguments: TrainingFigureSamples.all.map(\.name))
    func matchesItsReference(name: String) throws {
        let chart = try #require(TrainingFigureSamples.all.first { $0.name == name }?.chart)
        let url = ReferenceSVGTests.folder.appendingPathComponent("\(name).svg")
        if ReferenceSVGTests.recording {
            try Data(chart.svg.utf8).write(to: url, options: .atomic)
            return
        }
        let reference = try String(contentsOf: url, encoding: .utf8)
        #expect(chart.svg == reference, "\(name).svg differs from its reference; re-record if the change is intended")
    }
}
