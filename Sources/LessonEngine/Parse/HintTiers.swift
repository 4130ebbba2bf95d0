/// How a check's hint tiers are written out where every tier is shown at once (a grader's
/// feedback, a notebook's output): one tier as `Hint: …`, several numbered, `Hint 1: …`, `Hint 2: …`.
public enum HintTiers {
    /// Each tier on its own line, labelled with `word` ("Hint", "Pista").
    public static func lines(_ hints: [String], word: String) -> [String] {
        guard hints.count > 1 else { return hints.map { "\(word): \($0)" } }
        return hints.enumerated().map { "\(word) \($0.offset + 1): \($0.element)" }
    }
}
