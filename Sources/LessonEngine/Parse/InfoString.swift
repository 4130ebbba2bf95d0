/// The words after the opening fence of a code block, e.g. `swift setup id=data`.
///
/// Grammar: the language, then tags (bare words) and attributes (`key=value`, where a value with
/// spaces is written in double quotes: `hint="look at the diagonal"`, and `\"` stands for a quote).
public struct InfoString: Equatable, Sendable {
    public var language: String
    public var tags: [String]
    public var attributes: [(key: String, value: String)]

    public static func == (lhs: InfoString, rhs: InfoString) -> Bool {
        lhs.language == rhs.language && lhs.tags == rhs.tags
            && lhs.attributes.elementsEqual(rhs.attributes) { $0.key == $1.key && $0.value == $1.value }
    }

    /// Why an info string could not be read.
    public enum ParseError: Error, Equatable {
        case unterminatedQuote(key: String)
        case emptyKey(word: String)
        case missingValue(key: String)
    }

    /// Splits an info string into language, tags and attributes.
    public static func parse(_ text: String) throws(ParseError) -> InfoString {
        var words: [String] = []
        var current = ""
        var inQuotes = false
        var quotedKey = ""
        var characters = text.makeIterator()
        var sawQuotedValue = false
        while let character = characters.next() {
            if inQuotes {
                if character == "\\" {
                    if let escaped = characters.next() { current.append(escaped) }
                } else if character == "\"" {
                    inQuotes = false
                    sawQuotedValue = true
                } else {
                    current.append(character)
                }
            } else if character == "\"" && current.hasSuffix("=") {
                inQuotes = true
                quotedKey = String(current.dropLast())
            } else if character.isWhitespace {
                if !current.isEmpty || sawQuotedValue { words.append(current) }
                current = ""
                sawQuotedValue = false
            } else {
                current.append(character)
            }
        }
        if inQuotes { throw .unterminatedQuote(key: quotedKey) }
        if !current.isEmpty || sawQuotedValue { words.append(current) }

        var result = InfoString(language: words.first ?? "", tags: [], attributes: [])
        for word in words.dropFirst() {
            guard let equals = word.firstIndex(of: "=") else {
                result.tags.append(word)
                continue
            }
            let key = String(word[..<equals])
            let value = String(word[word.index(after: equals)...])
            if key.isEmpty { throw .emptyKey(word: word) }
            result.attributes.append((key, value))
        }
        // `key=` with nothing after it (and no quotes) is a slip, not an empty value.
        for (key, value) in result.attributes where value.isEmpty && !text.contains("\(key)=\"") {
            throw .missingValue(key: key)
        }
        return result
    }
}
