internal import CTensorKernels
import TensorCore

/// How a ``LlamaModel`` multiplies activations by its quantised weights.
///
/// ```
/// float32:          y = Σ_j w[j]·x[j], w = d·q (+ m) dequantised in float32, x in float32
/// int8Activations:  x ≈ s·a per block of 32 (a = round(x / s), s = max|x| / 127), then per block
///                   d·s·Σ q·a (+ m·s·Σ a) with the Σ exact in int32 — llama.cpp's arithmetic
/// ```
/// The weights are the same in both: the file's blocks. `int8Activations` rounds each activation
/// to one of 255 levels of its block's largest magnitude (a relative error up to 1/254 of that
/// magnitude), which moves SmolLM2's logits by a few hundredths; it is about twice as fast,
/// because a block's 32 products are a few integer instructions.
public enum LlamaArithmetic: Sendable, Equatable, CaseIterable {
    /// Float32 activations, weights dequantised row by row: the model's equations, rounded only by float32.
    case float32
    /// Activations quantised to int8 in blocks of 32 before each product (ggml's Q8_1): fast.
    case int8Activations
}

/// A weight matrix kept as the GGUF file stores it — rows of Q4_1 or Q8_0 blocks — and multiplied
/// by activations with the kernels of `CTensorKernels/quantized_kernels.c`, never dequantised whole.
///
/// SmolLM2's 135 M weights take 97 MB this way instead of 540 MB as float32, and generating a token
/// reads each of them once: the fewer bytes, the faster.
final class QuantizedMatrix: @unchecked Sendable {  // immutable after init; the storage is never written again
    /// The tensor's name in the file.
    let name: String
    /// Outputs: one row of weights per output.
    let rows: Int
    /// Inputs: the length of a row, a multiple of 32.
    let columns: Int
    let format: cuaderno_block_format
    let rowBytes: Int
    let storage: UnsafeMutableRawPointer

    /// The formats the kernels compute with.
    static let supportedTypes: [GGMLType] = [.q4_1, .q8_0]

    /// The matrix `name` of `file`, of shape `[rows, columns]`, copied out of the file as it is stored.
    init(file: GGUFFile, name: String, shape: [Int]) throws {
        guard let info = file.info(named: name) else {
            throw LlamaModelError(path: file.path, problem: .missingTensor(name: name))
        }
        guard info.shape == shape else {
            throw LlamaModelError(path: file.path, problem: .wrongTensorShape(name: name, expected: shape, found: info.shape))
        }
        guard Self.supportedTypes.contains(info.type) else {
            throw LlamaModelError(path: file.path, problem: .unsupportedTensorType(name: name, type: info.type, supported: Self.supportedTypes))
        }
        self.name = name
        rows = shape[0]
        columns = shape[1]
        format = info.type == .q4_1 ? CUADERNO_BLOCK_Q4_1 : CUADERNO_BLOCK_Q8_0
        rowBytes = cuaderno_row_bytes(format, columns)
        let byteCount = rows * rowBytes
        storage = UnsafeMutableRawPointer.allocate(byteCount: byteCount, alignment: 64)
        try file.withStoredBytes(of: info) { bytes in
            precondition(bytes.count == byteCount, "QuantizedMatrix: \(name) holds \(bytes.count) bytes, not \(byteCount)")
            storage.copyMemory(from: bytes.baseAddress!, byteCount: byteCount)
        }
    }

    deinit { storage.deallocate() }

    /// The bytes the matrix takes, which one product with a token reads.
    var byteCount: Int { rows * rowBytes }

    /// Row `row`, dequantised into `out` (`columns` floats).
    func dequantizeRow(_ row: Int, into out: UnsafeMutablePointer<Float>) {
        cuaderno_dequantize_rows(format, storage + row * rowBytes, 1, columns, out)
    }

    /// The whole matrix dequantised, `[rows, columns]` float32 — the values ``GGUFFile/tensor(named:)`` gives.
    func dequantized() -> Tensor {
        let values = [Float](unsafeUninitializedCapacity: rows * columns) { out, initialized in
            cuaderno_dequantize_rows(format, storage, rows, columns, out.baseAddress!)
            initialized = rows * columns
        }
        return values.withUnsafeBytes { Tensor(shape: [rows, columns], dtype: .float32, littleEndianBytes: $0) }
    }
}

/// How the matrix products run: the instruction set and the number of threads.
struct QuantizedKernels: Sendable {
    /// The instruction sets the kernels are written for (`cuaderno_kernel_level`), best last.
    enum Level: UInt32, CaseIterable, Sendable {
        case scalar = 0, avx2 = 1, avx512VNNI = 2

        /// The best level this CPU runs.
        static let best = Level(rawValue: cuaderno_quantized_best_level().rawValue)!

        /// The levels this CPU runs, the plain C loops first.
        static var available: [Level] { allCases.filter { $0.rawValue <= best.rawValue } }
    }

    let level: cuaderno_kernel_level
    /// The rows of each product are split into this many consecutive parts, one per thread.
    let threads: Int

    init(threads: Int, level: Level = .best) {
        self.level = cuaderno_kernel_level(rawValue: level.rawValue)
        self.threads = max(1, threads)
    }

    /// `outputs[i][t·rows_i + r] = Σ_j matrices[i][r, j]·input[t·columns + j]` for `tokens` tokens:
    /// several matrices that read the same input (query, key and value; gate and up) in one parallel
    /// section, so the threads meet once per group instead of once per matrix.
    func multiply(_ matrices: [QuantizedMatrix], input: UnsafePointer<Float>, tokens: Int,
                  outputs: [UnsafeMutablePointer<Float>], arithmetic: LlamaArithmetic) {
        let columns = matrices[0].columns
        precondition(matrices.allSatisfy { $0.columns == columns } && outputs.count == matrices.count)
        switch arithmetic {
        case .float32:
            inParallel(matrices) { index, part, scratch in
                let matrix = matrices[index]
                cuaderno_quantized_matmul_f32(level, matrix.format, matrix.storage, matrix.columns,
                                              part.lowerBound, part.upperBound, input, tokens,
                                              outputs[index], matrix.rows, scratch)
            }
        case .int8Activations:
            let blockCount = tokens * columns / 32
            let blocks = UnsafeMutablePointer<cuaderno_q8_block>.allocate(capacity: blockCount)
            defer { blocks.deallocate() }
            cuaderno_quantize_q8(input, blocks, tokens * columns)
            inParallel(matrices) { index, part, _ in
                let matrix = matrices[index]
                cuaderno_quantized_matmul_q8(level, matrix.format, matrix.storage, matrix.columns,
                                             part.lowerBound, part.upperBound, blocks, tokens,
                                             outputs[index], matrix.rows)
            }
        }
    }

    /// Calls `body` with the index of every matrix and every one of some consecutive parts of its
    /// rows (four per thread, whole groups of four rows), the parts in parallel on `CTensorKernels`' persistent thread pool (a token makes
    /// about 120 of these sections; waking threads through Dispatch for each cost more than two
    /// threads gained). Each thread gets a scratch row of the widest matrix's columns.
    private func inParallel(_ matrices: [QuantizedMatrix],
                            _ body: (Int, Range<Int>, UnsafeMutablePointer<Float>) -> Void) {
        let width = matrices.map(\.columns).max() ?? 0
        withoutActuallyEscaping(body) { body in
            var section = ParallelSection(matrices: matrices, width: width, body: body)
            withUnsafeMutablePointer(to: &section) { section in
                // Several parts a thread, claimed as they come (thread_pool.h says why).
                cuaderno_parallel_run(threads, threads == 1 ? 1 : threads * 4, { context, part, parts in
                    context!.assumingMemoryBound(to: ParallelSection.self).pointee.run(part: part, of: parts)
                }, section)
            }
        }
    }
}

/// What each thread of one parallel section needs: the matrices, whose rows it splits, and the body.
private struct ParallelSection {
    let matrices: [QuantizedMatrix]
    let width: Int
    let body: (Int, Range<Int>, UnsafeMutablePointer<Float>) -> Void

    func run(part: Int, of parts: Int) {
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(width, 1))
        defer { scratch.deallocate() }
        for (index, matrix) in matrices.enumerated() {
            // Whole groups of four rows, which the kernels take together.
            let groups = (matrix.rows + 3) / 4
            let begin = min(matrix.rows, groups * part / parts * 4), end = min(matrix.rows, groups * (part + 1) / parts * 4)
            body(index, begin..<end, scratch)
        }
    }
}
