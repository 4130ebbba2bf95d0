import TensorCore

extension BPETokenizer {
    /// The tokens of a text: special tokens kept whole, the rest through the steps in turn.
    /// `"The film"` → `["The", "Ġfilm"]`.
    public func tokenize(_ text: String) -> [String] {
        encode(text).map { vocabulary[$0] }
    }

    /// The token ids of a text. No tokens are added before or after it, except the
    /// beginning-of-sequence token when the tokenizer's file asks for it
    /// (``addsBeginningOfSequence``, never for a tokenizer trained here; not for SmolLM2).
    public func encode(_ text: String) -> [Int] {
        var ids: [Int] = []
        if addsBeginningOfSequence, let beginning = roles.beginningOfSequence { ids.append(beginning) }
        for segment in splittingSpecialTokens(Array(text.utf8)) {
            switch segment {
            case .special(let id):
                ids.append(id)
            case .text(let bytes):
                let text = normalized(String(decoding: bytes, as: UTF8.self))
                for piece in preTokenizer.pieceBytes(text) {
                    appendIDs(ofPiece: piece, to: &ids)
                }
            }
        }
        return ids
    }

    /// The text that token ids stand for: their bytes joined and read as UTF-8. Special tokens
    /// are written as they are (`"<pad>"`); ``decode(_:skippingSpecialTokens:file:line:)`` can
    /// leave them out.
    ///
    /// For a tokenizer that does not lower-case, `decode(encode(text)) == text` for any text.
    /// - Precondition: every id is in `0..<count`.
    public func decode(_ ids: [Int], file: StaticString = #filePath, line: UInt = #line) -> String {
        decode(ids, skippingSpecialTokens: false, file: file, line: line)
    }

    /// The text that token ids stand for, with or without the special tokens among them
    /// (Hugging Face's `decode` skips them by default).
    ///
    /// - Precondition: every id is in `0..<count`.
    public func decode(_ ids: [Int], skippingSpecialTokens: Bool, file: StaticString = #filePath,
                       line: UInt = #line) -> String {
        var bytes: [UInt8] = []
        for id in ids {
            checkID(id, file: file, line: line)
            if skippingSpecialTokens && specialIDs.contains(id) { continue }
            bytes += tokenBytes[id]
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Step 3 for one piece (already in the byte-level alphabet): its tokens after the merges.
    /// `"Ġfilm"` → `["Ġfilm"]` with 600 tokens learnt from the reviews of the example above,
    /// `["Ġf", "il", "m"]` with 300.
    public func merged(_ piece: String) -> [String] {
        var ids: [Int] = []
        appendIDs(ofPiece: ByteLevel.bytes(of: piece), to: &ids)
        return ids.map { vocabulary[$0] }
    }

    /// Appends the ids of one piece, given as its UTF-8 bytes.
    ///
    /// Each step merges the adjacent pair whose merge was learnt earliest (lowest rank), the
    /// leftmost one if it occurs more than once, and stops when no adjacent pair has a merge.
    /// This is the order Hugging Face's `Word::merge_all` follows with its heap; for pieces the
    /// length of words, a scan is as fast and easier to read.
    private func appendIDs(ofPiece bytes: [UInt8], to ids: inout [Int]) {
        if ignoresMerges, let whole = idsByBytes[Array(ByteLevel.encoded(bytes: bytes).utf8)] {
            ids.append(whole)
            return
        }
        var symbols: [Int] = []
        symbols.reserveCapacity(bytes.count)
        for byte in bytes {
            let id = byteIDs[Int(byte)]
            if id >= 0 {
                symbols.append(id)
            } else if let unknownID {
                symbols.append(unknownID)
            }
        }
        // ranks[i]: the rank of the merge of symbols i and i + 1, or Int.max when there is none.
        func rank(at i: Int) -> Int {
            mergeTable[TokenPair(symbols[i], symbols[i + 1])]?.rank ?? Int.max
        }
        var ranks = symbols.indices.dropLast().map(rank(at:))
        while let best = ranks.indices.min(by: { ranks[$0] < ranks[$1] }), ranks[best] != Int.max {
            symbols[best] = mergeTable[TokenPair(symbols[best], symbols[best + 1])]!.id
            symbols.remove(at: best + 1)
            ranks.remove(at: best)
            if best < ranks.count { ranks[best] = rank(at: best) }
            if best > 0 { ranks[best - 1] = rank(at: best - 1) }
        }
        ids += symbols
    }

    private enum Segment {
        case text([UInt8])
        case special(id: Int)
    }

    /// The text cut around the special tokens written in it: at each place the longest special
    /// token that starts there, leftmost first (the added tokens of `tokenizers` match so).
    /// Compared as UTF-8 bytes, so a match always starts and ends between characters.
    private func splittingSpecialTokens(_ bytes: [UInt8]) -> [Segment] {
        guard !specialMatches.isEmpty else { return [.text(bytes)] }
        var segments: [Segment] = []
        var textStart = 0
        var position = 0
        while position < bytes.count {
            let match = specialMatches.first { special in
                !special.bytes.isEmpty && bytes[position...].starts(with: special.bytes)
            }
            guard let match else {
                position += 1
                continue
            }
            if textStart < position { segments.append(.text(Array(bytes[textStart..<position]))) }
            segments.append(.special(id: match.id))
            position += match.bytes.count
            textStart = position
        }
        if textStart < bytes.count { segments.append(.text(Array(bytes[textStart...]))) }
        return segments
    }
}
