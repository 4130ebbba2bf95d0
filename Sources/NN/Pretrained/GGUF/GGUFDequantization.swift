/// Turns a GGUF tensor's bytes into float32 numbers, one block type at a time.
///
/// The block layouts are ggml's (`ggml-common.h`, `dequantize_row_*` in `ggml-quants.c`), written
/// here from the specification: every number is little-endian, and a block's scale (and minimum)
/// are IEEE float16. The arithmetic is float32, as ggml's, so the results are the same numbers.
enum GGUFDequantization {
    /// The `count` numbers stored in `bytes` as `type` (F32, F16, Q8_0 or Q4_1); `bytes` holds
    /// exactly the blocks of `count` numbers.
    static func floats(_ bytes: UnsafeRawBufferPointer, type: GGMLType, count: Int) -> [Float] {
        [Float](unsafeUninitializedCapacity: count) { output, initialized in
            switch type {
            case .f32: float32(bytes, into: output)
            case .f16: float16(bytes, into: output)
            case .q8_0: q8_0(bytes, into: output)
            case .q4_1: q4_1(bytes, into: output)
            default: preconditionFailure("GGUFDequantization: \(type) is not read")
            }
            initialized = count
        }
    }

    private static func half(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Float {
        TensorBytes.float16(UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
    }

    private static func float32(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Float>) {
        for index in output.indices {
            output[index] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self)))
        }
    }

    private static func float16(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Float>) {
        for index in output.indices {
            output[index] = half(bytes, at: 2 * index)
        }
    }

    /// Q8_0, 34 bytes a block of 32: `d` (float16), then 32 signed bytes `q`; `x[j] = d · q[j]`.
    private static func q8_0(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Float>) {
        for block in 0..<(output.count / 32) {
            let base = 34 * block
            let scale = half(bytes, at: base)
            for j in 0..<32 {
                let quant = Int8(bitPattern: bytes[base + 2 + j])
                output[32 * block + j] = scale * Float(quant)
            }
        }
    }

    /// Q4_1, 20 bytes a block of 32: `d` and `m` (float16), then 16 bytes; byte `j` holds `q[j]` in
    /// its low four bits and `q[j + 16]` in its high four; `x[j] = d · q[j] + m`.
    private static func q4_1(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableBufferPointer<Float>) {
        for block in 0..<(output.count / 32) {
            let base = 20 * block
            let scale = half(bytes, at: base)
            let minimum = half(bytes, at: base + 2)
            for j in 0..<16 {
                let byte = bytes[base + 4 + j]
                output[32 * block + j] = scale * Float(byte & 0x0F) + minimum
                output[32 * block + j + 16] = scale * Float(byte >> 4) + minimum
            }
        }
    }
}
