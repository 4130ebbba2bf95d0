/// The element type of a tensor in a GGUF file (`ggml_type`): a plain number type (`F32`, `F16`)
/// or a block quantisation (`Q8_0`, `Q4_1`…), by the number the file stores.
///
/// Every type ggml defines has a name, so that an error can say which one a file holds; Cuaderno
/// dequantises ``f32``, ``f16``, ``q8_0`` and ``q4_1`` (``isReadable``).
public struct GGMLType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The number in the file.
    public let rawValue: UInt32

    /// The type numbered `rawValue` in a file (it may be one ggml does not define: see ``isKnown``).
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// 32-bit IEEE floats.
    public static let f32 = GGMLType(rawValue: 0)
    /// 16-bit IEEE floats (1 sign, 5 exponent, 10 fraction bits).
    public static let f16 = GGMLType(rawValue: 1)
    /// Blocks of 32 weights: a float16 scale `d`, a float16 minimum `m`, and 32 four-bit
    /// numbers `q` (0…15); a weight is `d·q + m`.
    public static let q4_1 = GGMLType(rawValue: 3)
    /// Blocks of 32 weights: a float16 scale `d` and 32 signed bytes `q`; a weight is `d·q`.
    public static let q8_0 = GGMLType(rawValue: 8)

    /// The types Cuaderno dequantises.
    public static let readable: [GGMLType] = [.f32, .f16, .q8_0, .q4_1]

    /// Whether ``GGUFFile/tensor(named:)`` can read a tensor of this type.
    public var isReadable: Bool { Self.readable.contains(self) }

    /// ggml's name for the type (`Q4_1`), or `type 99` for a number ggml does not define.
    public var description: String {
        Self.known[rawValue]?.name ?? "type \(rawValue)"
    }

    /// Whether ggml defines this type (numbers 4 and 5 were retired, for example).
    public var isKnown: Bool { Self.known[rawValue] != nil }

    /// The number of elements in one block (1 for plain number types), or nil when unknown.
    public var blockSize: Int? { Self.known[rawValue]?.layout?.elements }

    /// The bytes one block takes in the file, or nil when unknown.
    public var bytesPerBlock: Int? { Self.known[rawValue]?.layout?.bytes }

    /// The types of ggml, by number: name, and elements and bytes per block. The sizes are those the
    /// `gguf` Python package 0.19.0 lists (`GGML_QUANT_SIZES`); Q8_1, a type for activations that
    /// files do not hold, is left without a size because ggml's C code and that table disagree on it.
    private static let known: [UInt32: (name: String, layout: (elements: Int, bytes: Int)?)] = [
        0: ("F32", (1, 4)), 1: ("F16", (1, 2)), 2: ("Q4_0", (32, 18)), 3: ("Q4_1", (32, 20)),
        6: ("Q5_0", (32, 22)), 7: ("Q5_1", (32, 24)), 8: ("Q8_0", (32, 34)), 9: ("Q8_1", nil),
        10: ("Q2_K", (256, 84)), 11: ("Q3_K", (256, 110)), 12: ("Q4_K", (256, 144)), 13: ("Q5_K", (256, 176)),
        14: ("Q6_K", (256, 210)), 15: ("Q8_K", (256, 292)), 16: ("IQ2_XXS", (256, 66)), 17: ("IQ2_XS", (256, 74)),
        18: ("IQ3_XXS", (256, 98)), 19: ("IQ1_S", (256, 50)), 20: ("IQ4_NL", (32, 18)), 21: ("IQ3_S", (256, 110)),
        22: ("IQ2_S", (256, 82)), 23: ("IQ4_XS", (256, 136)), 24: ("I8", (1, 1)), 25: ("I16", (1, 2)),
        26: ("I32", (1, 4)), 27: ("I64", (1, 8)), 28: ("F64", (1, 8)), 29: ("IQ1_M", (256, 56)),
        30: ("BF16", (1, 2)), 34: ("TQ1_0", (256, 54)), 35: ("TQ2_0", (256, 66)), 39: ("MXFP4", (32, 17)),
        40: ("NVFP4", (64, 36)), 41: ("Q1_0", (128, 18)),
    ]
}
