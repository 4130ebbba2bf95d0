/// What a Swift cell's info string asks for:
/// `swift [tag] [hidden] [id=…] [for=…] [points=N] [hint="…"]… [fig=… [caption="…"]]`.
///
/// Every attribute may appear once, except `hint`: a check's hint tiers are `hint="…"` repeated,
/// in the order the learner sees them.
struct CellHeader: Equatable {
    var kind: Cell.Kind
    var id: String?
    var check: Cell.Check?
    var figure: FigureLabel?

    struct Problem: Error { var text: String }

    static let knownTags: [String] = Cell.Kind.allCases.filter { $0 != .code }.map(\.rawValue) + ["hidden"]
    static let knownKeys = ["id", "for", "points", "hint", "fig", "caption"]
    /// The attributes only a check cell takes.
    private static let checkKeys: Set<String> = ["for", "points", "hint"]
    /// The attributes that may be given more than once, each time adding a value in order.
    private static let repeatableKeys: Set<String> = ["hint"]

    /// Reads an info string, rejecting unknown tags and keys with a message that lists the known ones.
    static func read(info: String) -> Result<CellHeader, Problem> {
        let parsed: InfoString
        do {
            parsed = try InfoString.parse(info)
        } catch {
            switch error {
            case .unterminatedQuote(let key):
                return .failure(Problem(text: "the quoted value of '\(key)' in ```\(info) is never closed; add the closing \""))
            case .emptyKey(let word):
                return .failure(Problem(text: "'\(word)' in ```\(info) is not key=value; write a name before '='"))
            case .missingValue(let key):
                return .failure(Problem(text: "'\(key)=' in ```\(info) has no value; write \(key)=something"))
            }
        }
        var header = CellHeader(kind: .code, id: nil)
        var hidden = false
        for tag in parsed.tags {
            if tag == "hidden" {
                hidden = true
                continue
            }
            guard let kind = Cell.Kind(rawValue: tag), kind != .code else {
                return .failure(Problem(
                    text: "unknown cell tag '\(tag)' in ```\(info); known tags: \(knownTags.joined(separator: ", "))"))
            }
            if header.kind != .code {
                return .failure(Problem(
                    text: "a cell takes one tag, but ```\(info) has '\(header.kind.rawValue)' and '\(tag)'"))
            }
            header.kind = kind
        }
        var values: [String: String] = [:]
        var hints: [String] = []
        for (key, value) in parsed.attributes {
            guard knownKeys.contains(key) else {
                return .failure(Problem(
                    text: "unknown cell attribute '\(key)' in ```\(info); known attributes: \(knownKeys.joined(separator: ", "))"))
            }
            if repeatableKeys.contains(key) {
                guard !value.allSatisfy(\.isWhitespace) else {
                    return .failure(Problem(text: """
                        hint \(hints.count + 1) in ```\(info) is empty; write what the learner should look at, \
                        or remove hint=""
                        """))
                }
                hints.append(value)
            } else if values.updateValue(value, forKey: key) != nil {
                return .failure(Problem(text: "attribute '\(key)' appears twice in ```\(info)"))
            }
            if key == "id" || key == "for" || key == "fig", !value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                return .failure(Problem(text: "'\(key)=\(value)' in ```\(info): an id may only use letters, digits, '-' and '_'"))
            }
            if checkKeys.contains(key) && header.kind != .check {
                return .failure(Problem(text: "'\(key)=' in ```\(info) belongs to check cells only (```swift check for=… \(key)=…)"))
            }
        }
        header.id = values["id"]
        if let name = values["fig"] {
            header.figure = FigureLabel(name: name, caption: values["caption"])
        } else if values["caption"] != nil {
            return .failure(Problem(text: "'caption=' in ```\(info) captions a named figure: add fig=some-name"))
        }
        if hidden && header.kind != .check {
            return .failure(Problem(text: "'hidden' in ```\(info) belongs to check cells only (```swift check for=… hidden)"))
        }
        switch header.kind {
        case .exercise where header.id == nil:
            return .failure(Problem(text: "an exercise needs a name: write ```swift exercise id=some-name"))
        case .check:
            guard let exercise = values["for"] else {
                return .failure(Problem(text: "a check must name its exercise: write ```swift check for=exercise-id"))
            }
            var points = 1
            if let text = values["points"] {
                guard let number = Int(text), number >= 0 else {
                    return .failure(Problem(text: "points=\(text) in ```\(info) must be a whole number, 0 or more"))
                }
                points = number
            }
            header.check = Cell.Check(exercise: exercise, points: points, hints: hints, hidden: hidden)
        default:
            break
        }
        return .success(header)
    }
}
