/// The trainer's priority queue of candidate merges: the most frequent pair first, and of equally
/// frequent pairs the smallest (by left id, then right id), as in Hugging Face's `BpeTrainer`.
///
/// Counts change with every merge, and the queue is not searched to update them: an entry keeps
/// the count it was pushed with, and the trainer compares it with the current count when the
/// entry comes out (pushing it back with the new count when they differ). Each entry also
/// carries the words its pair was seen in, so a merge visits only those.
///
/// A binary heap in an array: the children of entry `i` are `2i + 1` and `2i + 2`, and each entry
/// comes before its children.
struct BPEPairQueue: Sendable {
    struct Entry: Sendable {
        var pair: TokenPair
        var count: Int
        /// The indices of the words the pair occurs in (some may no longer hold it).
        var places: [Int]
        /// The order of pushing: of two entries for the same pair with the same count, the
        /// earlier comes out first. (Hugging Face's heap leaves this case to the order of a hash
        /// map; it arises only when a merge makes a token the vocabulary already had.)
        var sequence: Int
    }

    private var entries: [Entry] = []
    private var pushed = 0

    var isEmpty: Bool { entries.isEmpty }

    /// Whether `a` comes out before `b`.
    private static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        if a.count != b.count { return a.count > b.count }
        if a.pair != b.pair { return a.pair < b.pair }
        return a.sequence < b.sequence
    }

    mutating func push(pair: TokenPair, count: Int, places: [Int]) {
        entries.append(Entry(pair: pair, count: count, places: places, sequence: pushed))
        pushed += 1
        siftUp(from: entries.count - 1)
    }

    /// Puts an entry back with a new count; it queues as if pushed now.
    mutating func push(_ entry: Entry, count: Int) {
        push(pair: entry.pair, count: count, places: entry.places)
    }

    mutating func pop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        siftDown(from: 0)
        return top
    }

    private mutating func siftUp(from start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(entries[child], entries[parent]) else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(from start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1, right = left + 1
            var first = parent
            if left < entries.count && Self.precedes(entries[left], entries[first]) { first = left }
            if right < entries.count && Self.precedes(entries[right], entries[first]) { first = right }
            if first == parent { return }
            entries.swapAt(parent, first)
            parent = first
        }
    }
}
