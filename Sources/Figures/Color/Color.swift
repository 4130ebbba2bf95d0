import Foundation

/// An sRGB colour with components in 0…1.
public struct Color: Equatable, Hashable, Sendable {
    public var red: Double
    public var green: Double
    public var blue: Double

    public init(red: Double, green: Double, blue: Double) {
        self.red = red
        self.green = green
        self.blue = blue
    }

    /// A colour from a 24-bit hexadecimal value such as `0x0072B2`.
    public init(hex: UInt32) {
        self.init(red: Double((hex >> 16) & 0xFF) / 255, green: Double((hex >> 8) & 0xFF) / 255,
                  blue: Double(hex & 0xFF) / 255)
    }

    /// The colour as `#rrggbb`, each component rounded to the nearest of 256 levels.
    public var hex: String {
        let digits = Array("0123456789abcdef")
        var text = "#"
        for component in [red, green, blue] {
            let level = Int((min(max(component, 0), 1) * 255).rounded())
            text.append(digits[level / 16])
            text.append(digits[level % 16])
        }
        return text
    }

    /// The relative luminance of WCAG 2 (0 for black, 1 for white).
    public var relativeLuminance: Double {
        let (r, g, b) = ColorScience.linear(self)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    }

    /// Black or white, whichever reads better on this colour (the higher WCAG contrast ratio).
    public var contrastingText: Color {
        let luminance = relativeLuminance
        let onBlack = (luminance + 0.05) / 0.05
        let onWhite = 1.05 / (luminance + 0.05)
        return onBlack >= onWhite ? Color(hex: 0x000000) : Color(hex: 0xFFFFFF)
    }

    /// The colour `fraction` of the way from `self` to `other`, mixed component by component.
    func mixed(with other: Color, _ fraction: Double) -> Color {
        Color(red: red + (other.red - red) * fraction, green: green + (other.green - green) * fraction,
              blue: blue + (other.blue - blue) * fraction)
    }
}

/// The colours of successive series in line, scatter and bar charts: the palette of Okabe and Ito
/// ("Color Universal Design", 2008), whose colours stay distinct for readers with the common forms
/// of colour blindness, ordered so that the first ones read well on light and dark pages alike.
public enum SeriesPalette {
    public static let colors: [Color] = [
        Color(hex: 0x0072B2), // blue
        Color(hex: 0xD55E00), // vermillion
        Color(hex: 0x009E73), // bluish green
        Color(hex: 0xCC79A7), // reddish purple
        Color(hex: 0xE69F00), // orange
        Color(hex: 0x56B4E9), // sky blue
        Color(hex: 0xF0E442), // yellow
    ]

    /// The colour of the series at `index`, cycling through the palette.
    public static func color(at index: Int) -> Color {
        colors[index % colors.count]
    }
}

/// Conversions between sRGB, CIE XYZ (D65), CIELAB and Moreland's Msh coordinates.
enum ColorScience {
    /// The D65 reference white in XYZ.
    static let white = (x: 0.95047, y: 1.0, z: 1.08883)

    static func linear(_ color: Color) -> (Double, Double, Double) {
        func expand(_ c: Double) -> Double { c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
        return (expand(color.red), expand(color.green), expand(color.blue))
    }

    static func color(linearRed r: Double, green g: Double, blue b: Double) -> Color {
        func compress(_ c: Double) -> Double {
            let clamped = min(max(c, 0), 1)
            return clamped <= 0.0031308 ? clamped * 12.92 : 1.055 * pow(clamped, 1 / 2.4) - 0.055
        }
        return Color(red: compress(r), green: compress(g), blue: compress(b))
    }

    static func lab(_ color: Color) -> (l: Double, a: Double, b: Double) {
        let (r, g, b) = linear(color)
        let x = 0.4124564 * r + 0.3575761 * g + 0.1804375 * b
        let y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b
        let z = 0.0193339 * r + 0.1191920 * g + 0.9503041 * b
        func f(_ t: Double) -> Double { t > 216.0 / 24389 ? cbrt(t) : t * 841.0 / 108 + 4.0 / 29 }
        let fx = f(x / white.x), fy = f(y / white.y), fz = f(z / white.z)
        return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))
    }

    static func color(l: Double, a: Double, b: Double) -> Color {
        let fy = (l + 16) / 116
        let fx = fy + a / 500
        let fz = fy - b / 200
        func finverse(_ t: Double) -> Double { t > 6.0 / 29 ? t * t * t : (t - 4.0 / 29) * 108 / 841 }
        let x = finverse(fx) * white.x, y = finverse(fy) * white.y, z = finverse(fz) * white.z
        return color(linearRed: 3.2404542 * x - 1.5371385 * y - 0.4985314 * z,
                     green: -0.9692660 * x + 1.8760108 * y + 0.0415560 * z,
                     blue: 0.0556434 * x - 0.2040259 * y + 1.0572252 * z)
    }
}
