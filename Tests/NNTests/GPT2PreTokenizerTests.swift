import Testing
import NN

/// GPT-2's pattern, one alternative at a time, and the byte-level alphabet; each case is worked
/// out from the pattern by hand (the reference texts check the two against `tokenizers` too).
@Suite struct GPT2PreTokenizerTests {
    @Test func wordsKeepTheSpaceBeforeThem() {
        #expect(GPT2PreTokenizer.pieces("Hello world") == ["Hello", " world"])
        #expect(GPT2PreTokenizer.pieces("café 42 ok") == ["café", " 42", " ok"])
        // Letters, digits and other symbols are separate runs.
        #expect(GPT2PreTokenizer.pieces("abc123def!?") == ["abc", "123", "def", "!?"])
        #expect(GPT2PreTokenizer.pieces("x² ½ Ⅻ") == ["x", "²", " ½", " Ⅻ"])
        #expect(GPT2PreTokenizer.pieces("") == [])
    }

    @Test func contractionsAreLowerCaseOnly() {
        #expect(GPT2PreTokenizer.pieces("I didn't, we'll, they're") == ["I", " didn", "'t", ",", " we", "'ll", ",", " they", "'re"])
        #expect(GPT2PreTokenizer.pieces("DON'T") == ["DON", "'", "T"])
        #expect(GPT2PreTokenizer.pieces("'sup ''s 'x") == ["'s", "up", " ''", "s", " '", "x"])
    }

    @Test func runsOfWhitespace() {
        // Before a word, a run gives up its last space to the word.
        #expect(GPT2PreTokenizer.pieces("a   b") == ["a", "  ", " b"])
        // At the end it stays whole; a lone newline before a word stands alone.
        #expect(GPT2PreTokenizer.pieces("a  \n") == ["a", "  \n"])
        #expect(GPT2PreTokenizer.pieces("a\n\nb") == ["a", "\n", "\n", "b"])
        #expect(GPT2PreTokenizer.pieces("a \t b") == ["a", " \t", " b"])
        #expect(GPT2PreTokenizer.pieces("a\tb") == ["a", "\t", "b"])
        #expect(GPT2PreTokenizer.pieces("  ") == ["  "])
        // Unicode's White_Space: the no-break and ideographic spaces are whitespace, a
        // zero-width space is not.
        #expect(GPT2PreTokenizer.pieces("a\u{A0}\u{3000}b\u{200B}c") == ["a", "\u{A0}", "\u{3000}", "b", "\u{200B}", "c"])
    }

    @Test func theByteLevelAlphabet() {
        #expect(ByteLevel.characters.count == 256)
        #expect(Set(ByteLevel.characters).count == 256)
        #expect(ByteLevel.characters[32] == "Ġ")
        #expect(ByteLevel.characters[10] == "Ċ")
        #expect(ByteLevel.characters[0] == "Ā")
        #expect(ByteLevel.characters[0xAD] == "Ń")
        #expect(ByteLevel.characters[0x41] == "A")
        #expect(ByteLevel.characters[0xE9] == "é")
        #expect(ByteLevel.alphabet.first == "!")
        #expect(ByteLevel.alphabet.last == "Ń")
        #expect(ByteLevel.encoded("héllo world\n") == "hÃ©lloĠworldĊ")
        #expect(ByteLevel.bytes(of: "ĠðŁĺį") == Array(" 😍".utf8))
        // A token that is not in the alphabet (a special token may be anything) is its own bytes.
        #expect(ByteLevel.bytes(of: "<|end→|>") == Array("<|end→|>".utf8))
        #expect(ByteLevel.decoded(["h", "Ã©", "llo", "Ġ", "ðŁĺį"]) == "héllo 😍")
        for byte in 0...255 {
            #expect(ByteLevel.byte(of: ByteLevel.characters[byte]) == UInt8(byte))
        }
        #expect(ByteLevel.byte(of: "€") == nil)
    }

    @Test func halfACharacterDecodesAsTheReplacementCharacter() {
        // "é" is two bytes, Ã and ©; the first alone is not UTF-8.
        #expect(ByteLevel.decoded(["caf", "Ã"]) == "caf\u{FFFD}")
    }
}
