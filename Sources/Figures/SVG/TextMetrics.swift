/// Estimates how wide a label is in a sans-serif font, to lay out axes and avoid overlaps.
///
/// The figure is drawn before any browser measures its text, so widths come from typical advance
/// widths of sans-serif fonts (as a fraction of the font size) by kind of character, taken on the
/// wide side (DejaVu Sans, the Linux default, is wider than Helvetica) so that labels stay apart
/// in every common font.
public enum TextMetrics {
    /// The font size of tick labels, legends and annotations, in pixels.
    public static let bodySize: Double = 12
    /// The font size of axis labels.
    public static let axisLabelSize: Double = 13
    /// The font size of chart titles.
    public static let titleSize: Double = 15

    /// How much wider bold and semibold text sets than the regular weight the advances describe
    /// (DejaVu Sans Bold is about a tenth wider than DejaVu Sans); chart titles are semibold.
    public static let boldWidening = 1.12

    /// The estimated width of `text` at `fontSize`, in pixels; `bold` for semibold or bold text.
    public static func width(of text: String, fontSize: Double = bodySize, bold: Bool = false) -> Double {
        var ems = 0.0
        for character in text {
            ems += advance(of: character)
        }
        return ems * fontSize * (bold ? boldWidening : 1)
    }

    /// `text` shortened with an ellipsis so that it fits in `maxWidth`, or unchanged if it fits.
    public static func truncated(_ text: String, toWidth maxWidth: Double, fontSize: Double = bodySize,
                                 bold: Bool = false) -> String {
        guard width(of: text, fontSize: fontSize, bold: bold) > maxWidth else { return text }
        var kept = ""
        let budget = maxWidth - width(of: "…", fontSize: fontSize, bold: bold)
        for character in text {
            if width(of: kept + String(character), fontSize: fontSize, bold: bold) > budget { break }
            kept.append(character)
        }
        return kept.trimmingTrailingSpaces() + "…"
    }

    private static func advance(of character: Character) -> Double {
        if "il.,:;'|!ıj".contains(character) { return 0.28 }
        if " ()[]{}frt-/".contains(character) { return 0.36 }
        if "mwMW@%".contains(character) { return 0.86 }
        if character.isNumber && character.isASCII { return 0.62 }
        if character.isUppercase { return 0.7 }
        if character.isASCII { return 0.56 }
        if character == "…" { return 1.0 }
        if character == "\u{202F}" || character == "\u{2009}" { return 0.2 }
        if "⁰¹²³⁴⁵⁶⁷⁸⁹⁻".contains(character) { return 0.36 }
        // Wide scripts (CJK, Hangul, full-width forms) take about one em; other letters and signs
        // about as much as a Latin letter.
        if let scalar = character.unicodeScalars.first?.value,
           (0x2E80...0xD7FF).contains(scalar) || (0xF900...0xFAFF).contains(scalar) || (0xFF00...0xFF60).contains(scalar) {
            return 1.0
        }
        return 0.58
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
