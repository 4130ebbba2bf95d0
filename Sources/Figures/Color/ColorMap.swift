import Foundation

/// Turns numbers in 0…1 into colours for heatmaps and colour bars.
///
/// All three maps stay readable for readers with the common forms of colour blindness: `viridis`
/// and `greys` vary in lightness from end to end, and `coolwarm` runs from blue through grey to red.
public enum ColorMap: String, CaseIterable, Sendable {
    /// Dark purple through teal to yellow, perceptually uniform: matplotlib's default, for values
    /// such as attention weights that run from low to high.
    case viridis
    /// Blue through light grey to red (Moreland's diverging map): for values with a meaningful
    /// middle, such as cosine similarities or signed weights centred on zero.
    case coolwarm
    /// White to black, uniform in lightness: for printing, or when colour would distract.
    case greys

    /// The colour at `fraction` (clamped to 0…1).
    public func color(at fraction: Double) -> Color {
        let t = fraction.isNaN ? 0 : min(max(fraction, 0), 1)
        switch self {
        case .viridis: return Self.viridisColor(at: t)
        case .coolwarm: return Self.coolwarmColor(at: t)
        case .greys: return ColorScience.color(l: 100 * (1 - t), a: 0, b: 0)
        }
    }

    /// The colours of `levels` evenly spaced fractions from 0 to 1, for quantised drawing.
    func table(levels: Int) -> [Color] {
        (0..<levels).map { color(at: Double($0) / Double(levels - 1)) }
    }

    // MARK: viridis

    /// viridis at 33 evenly spaced entries of matplotlib's 256-entry table (van der Walt and
    /// Smith, 2015, released to the public domain under CC0); between them the colour is mixed
    /// linearly, which stays within 2/255 of the full table (checked by a test against it).
    private static let viridisAnchors: [Color] = [
        0x440154, 0x470D60, 0x48186A, 0x482374, 0x472D7B, 0x453781, 0x424086, 0x3E4989, 0x3B528B,
        0x375B8D, 0x33638D, 0x2F6B8E, 0x2C728E, 0x297A8E, 0x26828E, 0x23898E, 0x21918C, 0x1F978B,
        0x1F9F88, 0x21A685, 0x27AD81, 0x31B57B, 0x3DBC74, 0x4CC26C, 0x5CC863, 0x6ECE58, 0x81D34D,
        0x95D840, 0xAADC32, 0xC0DF25, 0xD5E21A, 0xEAE51A, 0xFDE725,
    ].map(Color.init(hex:))

    private static func viridisColor(at t: Double) -> Color {
        let position = t * Double(viridisAnchors.count - 1)
        let index = min(Int(position), viridisAnchors.count - 2)
        return viridisAnchors[index].mixed(with: viridisAnchors[index + 1], position - Double(index))
    }

    // MARK: coolwarm

    /// Moreland's diverging map ("Diverging Color Maps for Scientific Visualization", 2009):
    /// interpolate in his Msh coordinates (polar CIELAB) from blue (59, 76, 192) to red (180, 4, 38),
    /// through an unsaturated midpoint, so that lightness rises to the middle and falls evenly.
    /// It agrees with matplotlib's `coolwarm` table within 5/255; the largest gap is near the red
    /// end, where the path leaves the sRGB gamut and the two computations clip differently.
    private static func coolwarmColor(at t: Double) -> Color {
        var start = Msh(Color(red: 59 / 255, green: 76 / 255, blue: 192 / 255))
        var end = Msh(Color(red: 180 / 255, green: 4 / 255, blue: 38 / 255))
        var fraction = t
        // Both ends saturated and far apart in hue: pass through white (s = 0) in the middle.
        if start.s > 0.05 && end.s > 0.05 && angleBetween(start.h, end.h) > .pi / 3 {
            let middle = Swift.max(start.m, end.m, 88)
            if fraction < 0.5 {
                end = Msh(m: middle, s: 0, h: 0)
                fraction *= 2
            } else {
                start = Msh(m: middle, s: 0, h: 0)
                fraction = fraction * 2 - 1
            }
        }
        // An unsaturated end takes the hue of the other, spun so the path looks straight.
        if start.s < 0.05 && end.s > 0.05 {
            start.h = adjustedHue(end, towardLightness: start.m)
        } else if end.s < 0.05 && start.s > 0.05 {
            end.h = adjustedHue(start, towardLightness: end.m)
        }
        let mixed = Msh(m: start.m + (end.m - start.m) * fraction,
                        s: start.s + (end.s - start.s) * fraction,
                        h: start.h + (end.h - start.h) * fraction)
        return mixed.color
    }

    private static func angleBetween(_ first: Double, _ second: Double) -> Double {
        var difference = abs(first - second)
        if difference > .pi { difference = 2 * .pi - difference }
        return difference
    }

    private static func adjustedHue(_ saturated: Msh, towardLightness unsaturatedM: Double) -> Double {
        if saturated.m >= unsaturatedM { return saturated.h }
        let spin = saturated.s * (unsaturatedM * unsaturatedM - saturated.m * saturated.m).squareRoot()
            / (saturated.m * sin(saturated.s))
        return saturated.h > -.pi / 3 ? saturated.h + spin : saturated.h - spin
    }
}

/// Moreland's Msh coordinates: CIELAB in polar form (magnitude, saturation angle, hue angle).
private struct Msh {
    var m: Double
    var s: Double
    var h: Double

    init(m: Double, s: Double, h: Double) {
        self.m = m
        self.s = s
        self.h = h
    }

    init(_ color: Color) {
        let lab = ColorScience.lab(color)
        m = (lab.l * lab.l + lab.a * lab.a + lab.b * lab.b).squareRoot()
        s = m > 0 ? acos(lab.l / m) : 0
        h = atan2(lab.b, lab.a)
    }

    var color: Color {
        ColorScience.color(l: m * cos(s), a: m * sin(s) * cos(h), b: m * sin(s) * sin(h))
    }
}
