import NN
import Testing

/// `timeIt` and `Timing`: the median and the fastest of real runs, and times printed with three
/// significant digits in the unit that suits them.
@Suite struct TimingTests {
    @Test func theMedianIsTheMiddleRunOrTheMeanOfTheTwoMiddleOnes() {
        #expect(Timing(runs: [0.3, 0.1, 0.2]).seconds == 0.2)
        #expect(Timing(runs: [0.4, 0.1, 0.2, 0.3]).seconds == 0.25)
        #expect(Timing(runs: [0.4, 0.1, 0.2, 0.3]).fastest == 0.1)
        #expect(Timing(runs: [2]).seconds == 2)
    }

    @Test func timesArePrintedWithThreeSignificantDigits() {
        #expect(Timing.format(1.2345) == "1.23 s")
        #expect(Timing.format(123.4) == "123 s")
        #expect(Timing.format(0.012345) == "12.3 ms")
        #expect(Timing.format(0.000481) == "481 µs")
        #expect(Timing.format(0.000_000_095) == "95.0 ns")
        #expect(Timing.format(0.001) == "1.00 ms")
        #expect(Timing.format(0) == "0.00 ns")
        // Rounding up to the next unit changes the unit, never shows four digits.
        #expect(Timing.format(999.96e-6) == "1.00 ms")
        #expect(Timing.format(0.99996) == "1.00 s")
        #expect(Timing.format(999.4e-9) == "999 ns")
        #expect(Timing(runs: [0.0123, 0.0119, 0.0131]).description == "12.3 ms (median of 3 runs; fastest 11.9 ms)")
        #expect(Timing(runs: [1.24]).description == "1.24 s")
    }

    @Test func timeItRunsTheWarmUpAndTheMeasuredRunsAndMeasuresThem() {
        var calls = 0
        let timing = timeIt(repeats: 4, warmUp: 2) {
            calls += 1
            var sum = 0.0
            for k in 0..<20_000 { sum += Double(k).squareRoot() }
            #expect(sum > 0)
        }
        #expect(calls == 6)
        #expect(timing.runs.count == 4)
        #expect(timing.runs.allSatisfy { $0 > 0 && $0 < 60 })
        #expect(timing.fastest <= timing.seconds)
    }
}
