/// How a byte-level BPE tokenizer cuts text into pieces before it merges their bytes: the merges
/// never cross a piece, so this choice is part of what a vocabulary was trained with.
///
/// ```swift
/// BPEPreTokenizer.gpt2.pieces("a  12 b")                 // ["a", " ", " 12", " b"]
/// BPEPreTokenizer.gpt2WithSingleDigits.pieces("a  12 b") // ["a", "  ", "1", "2", " b"]
/// ```
public enum BPEPreTokenizer: Sendable, Equatable, CaseIterable {
    /// GPT-2's pattern (``GPT2PreTokenizer``): Hugging Face's `ByteLevel(use_regex=True)`,
    /// llama.cpp's `gpt2` pre-tokenizer type.
    case gpt2
    /// Every number character (`\p{N}`) a piece of its own, then GPT-2's pattern on the text
    /// between them: SmolLM2 and StarCoder. In Hugging Face's `tokenizer.json` this is
    /// `Sequence[Digits(individual_digits=True), ByteLevel(use_regex=True)]`; in llama.cpp the
    /// `smollm` (and `starcoder`, `refact`…) pre-tokenizer types, the regex `\p{N}` and then
    /// GPT-2's. A number is then always one token per digit, whatever the merges: `"2024"` is four.
    case gpt2WithSingleDigits

    /// The pieces of a text, as strings (not yet in the byte-level alphabet).
    public func pieces(_ text: String) -> [String] {
        GPT2PreTokenizer.pieces(text, isolatingNumbers: self == .gpt2WithSingleDigits)
    }

    /// The UTF-8 bytes of each piece of a text.
    func pieceBytes(_ text: String) -> [[UInt8]] {
        GPT2PreTokenizer.pieceBytes(text, isolatingNumbers: self == .gpt2WithSingleDigits)
    }
}
