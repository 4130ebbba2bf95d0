import Foundation
import Testing
@testable import Figures

@Suite("Colour maps and palette")
struct ColorMapTests {
    @Test func viridisHitsItsAnchorsExactly() {
        #expect(ColorMap.viridis.color(at: 0).hex == "#440154")
        #expect(ColorMap.viridis.color(at: 0.5).hex == "#21918c")
        #expect(ColorMap.viridis.color(at: 1).hex == "#fde725")
        #expect(ColorMap.viridis.color(at: 0.25).hex == "#3b528b")
        #expect(ColorMap.viridis.color(at: 1.0 / 32).hex == "#470d60")
    }

    @Test func fractionsOutsideTheRangeAreClamped() {
        #expect(ColorMap.viridis.color(at: -3) == ColorMap.viridis.color(at: 0))
        #expect(ColorMap.coolwarm.color(at: 7) == ColorMap.coolwarm.color(at: 1))
    }

    @Test func greysRunFromWhiteToBlackUniformInLightness() {
        #expect(ColorMap.greys.color(at: 0).hex == "#ffffff")
        #expect(ColorMap.greys.color(at: 1).hex == "#000000")
        // L* = 50 is sRGB level 119 (0x77).
        #expect(ColorMap.greys.color(at: 0.5).hex == "#777777")
    }

    @Test func coolwarmRunsFromMorelandsBlueThroughGreyToRed() {
        #expect(ColorMap.coolwarm.color(at: 0).hex == "#3b4cc0")
        #expect(ColorMap.coolwarm.color(at: 1).hex == "#b40426")
        // Moreland's paper gives the midpoint as (221, 221, 221).
        #expect(ColorMap.coolwarm.color(at: 0.5).hex == "#dddddd")
    }

    struct Reference: Decodable {
        var viridis: [[Double]]
        var coolwarm: [[Double]]
    }

    static let reference: Reference = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/colormaps.json")
        do {
            return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
        } catch {
            fatalError("cannot read \(url.path): \(error)")
        }
    }()

    /// The largest difference of any component, in 1/255 steps, against matplotlib's table.
    static func largestDifference(_ map: ColorMap, _ table: [[Double]]) -> Double {
        var largest = 0.0
        for (index, expected) in table.enumerated() {
            let color = map.color(at: Double(index) / 255)
            let components = [color.red, color.green, color.blue]
            for channel in 0..<3 {
                largest = max(largest, abs(components[channel] - expected[channel]) * 255)
            }
        }
        return largest
    }

    @Test func viridisStaysWithinTwoLevelsOfMatplotlib() {
        #expect(Self.largestDifference(.viridis, Self.reference.viridis) <= 2)
    }

    @Test func coolwarmStaysWithinFiveLevelsOfMatplotlib() {
        // Measured 4.6 levels, in the green channel near the red end: there Moreland's path leaves
        // the sRGB gamut, and his table (which matplotlib ships) clips it differently than we do.
        // Over the first 230 of 256 entries the two agree within 1.5 levels.
        #expect(Self.largestDifference(.coolwarm, Self.reference.coolwarm) <= 5)
        let inGamut = Self.reference.coolwarm.prefix(230)
        #expect(Self.largestDifference(.coolwarm, Array(inGamut)) <= 1.5)
    }

    @Test func annotationTextContrastsWithItsCell() {
        #expect(ColorMap.viridis.color(at: 0).contrastingText.hex == "#ffffff")
        #expect(ColorMap.viridis.color(at: 1).contrastingText.hex == "#000000")
        #expect(Color(hex: 0xFFFFFF).relativeLuminance == 1)
        #expect(Color(hex: 0x000000).relativeLuminance == 0)
    }

    @Test func seriesColoursAreOkabeItoAndCycle() {
        #expect(SeriesPalette.color(at: 0).hex == "#0072b2")
        #expect(SeriesPalette.color(at: 1).hex == "#d55e00")
        #expect(SeriesPalette.color(at: 7) == SeriesPalette.color(at: 0))
    }
}
