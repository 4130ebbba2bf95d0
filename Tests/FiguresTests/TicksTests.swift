import Testing
@testable import Figures

@Suite("Tick selection and labels")
struct TicksTests {
    @Test func unitRangeGetsTenthsStepsOfTwo() {
        let ticks = Ticks.linear(from: 0, to: 1, maxCount: 6)
        #expect(ticks.values == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(ticks.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func symmetricRangeUsesTrueMinusSigns() {
        let ticks = Ticks.linear(from: -1, to: 1, maxCount: 5)
        #expect(ticks.values == [-1, -0.5, 0, 0.5, 1])
        #expect(ticks.labels == ["\u{2212}1.0", "\u{2212}0.5", "0.0", "0.5", "1.0"])
    }

    @Test func stepOfTwoAndAHalfKeepsTwoDecimals() {
        let ticks = Ticks.linear(from: 0, to: 1, maxCount: 5)
        #expect(ticks.values == [0, 0.25, 0.5, 0.75, 1])
        #expect(ticks.labels == ["0.00", "0.25", "0.50", "0.75", "1.00"])
    }

    @Test func ticksStayInsideTheRangeAndPrintWithoutNoise() {
        let ticks = Ticks.linear(from: 0.13, to: 0.71, maxCount: 7)
        #expect(ticks.values == [0.2, 0.3, 0.4, 0.5, 0.6, 0.7])
        #expect(ticks.labels == ["0.2", "0.3", "0.4", "0.5", "0.6", "0.7"])
    }

    @Test func largeNumbersAreGroupedInThrees() {
        let ticks = Ticks.linear(from: 0, to: 2_099_712, maxCount: 6)
        #expect(ticks.values == [0, 500_000, 1_000_000, 1_500_000, 2_000_000])
        #expect(ticks.labels == ["0", "500\u{202F}000", "1\u{202F}000\u{202F}000", "1\u{202F}500\u{202F}000", "2\u{202F}000\u{202F}000"])
    }

    @Test func tinyStepsUsePowersOfTen() {
        let ticks = Ticks.linear(from: 0, to: 3e-6, maxCount: 4)
        #expect(ticks.labels == ["0", "10⁻⁶", "2×10⁻⁶", "3×10⁻⁶"])
    }

    @Test func equalEndsGiveOneTick() {
        #expect(Ticks.linear(from: 2, to: 2).values == [2])
    }

    @Test func logAxisOverManyDecadesLabelsPowers() {
        let ticks = Ticks.logarithmic(from: 1e-3, to: 100)
        #expect(ticks.values == [1e-3, 1e-2, 1e-1, 1, 10, 100])
        #expect(ticks.labels == ["10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹", "10²"])
        #expect(ticks.minor.contains(0.002) && ticks.minor.contains(90) && !ticks.minor.contains(1))
    }

    @Test func logAxisOverAFewDecadesLabelsOneTwoFive() {
        let ticks = Ticks.logarithmic(from: 0.28, to: 2.3)
        #expect(ticks.values == [0.5, 1, 2])
        #expect(ticks.labels == ["0.5", "1", "2"])
    }

    @Test func manyDecadesAreThinnedToTheMaximumCount() {
        let ticks = Ticks.logarithmic(from: 1, to: 1e12, maxCount: 5)
        #expect(ticks.values == [1, 1e3, 1e6, 1e9, 1e12])
        // Eight marks per decade over twelve decades would draw a solid bar: the minor ticks are
        // the powers of ten the labels skip.
        #expect(ticks.minor == [10, 100, 1e4, 1e5, 1e7, 1e8, 1e10, 1e11])
    }

    @Test func integerTicksNeverHaveFractionalSteps() {
        #expect(Ticks.integers(upTo: 99, maxCount: 6).values == [0, 20, 40, 60, 80])
        #expect(Ticks.integers(upTo: 2, maxCount: 5).values == [0, 1, 2])
    }

    @Test func decimalLabels() {
        #expect(TickLabel.decimal(0.02) == "0.02")
        #expect(TickLabel.decimal(5) == "5")
        #expect(TickLabel.decimal(-3.25) == "\u{2212}3.25")
        #expect(TickLabel.decimal(1500) == "1500")
        #expect(TickLabel.decimal(0.1 + 0.2) == "0.3")
        #expect(TickLabel.fixedDecimals(-0.004, 2) == "0.00")
        #expect(TickLabel.fixedDecimals(0.375, 2) == "0.38")
    }

    @Test func svgNumbersHaveBoundedPrecision() {
        #expect(SVGNumber.format(12.5) == "12.5")
        #expect(SVGNumber.format(3) == "3")
        #expect(SVGNumber.format(-0.001) == "0")
        #expect(SVGNumber.format(-0.256) == "-0.26")
        #expect(SVGNumber.format(1.0 / 3.0) == "0.33")
        #expect(SVGNumber.format(0.05, decimals: 4) == "0.05")
        #expect(SVGNumber.format(.nan) == "0")
    }

    @Test func automaticLimitsAddFivePercentAndKeepFixedValuesUnpadded() {
        #expect(AxisLimits.automatic([0, 10], scale: .linear) == -0.5...10.5)
        #expect(AxisLimits.automatic([2, 4], scale: .linear, including: [0]) == 0...4.2)
        #expect(AxisLimits.automatic([3, 3], scale: .linear) == 2.7...3.3)
        #expect(AxisLimits.automatic([], scale: .log) == 1...10)
    }
}
