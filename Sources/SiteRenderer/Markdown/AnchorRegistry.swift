/// Hands out the `id`s of a page's elements so that none is used twice: heading anchors made
/// from their text (`## Scaling by √d_k` → `scaling-by-d_k`), numbered when a text repeats
/// (`example`, `example-2`), and never clashing with ids reserved first (the cells' anchors).
struct AnchorRegistry {
    private var used: Set<String> = []

    /// Marks an id as taken.
    mutating func reserve(_ id: String) {
        used.insert(id)
    }

    /// An id for a heading's text, unique on the page.
    mutating func uniqueID(for text: String) -> String {
        let base = Self.slug(text)
        var candidate = base
        var number = 2
        while used.contains(candidate) {
            candidate = "\(base)-\(number)"
            number += 1
        }
        used.insert(candidate)
        return candidate
    }

    /// Lowercase letters and digits of any script, with runs of anything else turned into one
    /// `-` (underscores kept); `section` when nothing is left.
    static func slug(_ text: String) -> String {
        var slug = ""
        var pendingDash = false
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "_" {
                if pendingDash && !slug.isEmpty { slug.append("-") }
                pendingDash = false
                slug.append(character)
            } else {
                pendingDash = true
            }
        }
        return slug.isEmpty ? "section" : slug
    }
}
