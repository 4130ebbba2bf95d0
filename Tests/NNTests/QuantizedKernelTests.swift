import Foundation
import Testing
@testable import NN
import TensorCore

/// The quantised matrix products of `CTensorKernels/quantized_kernels.c`, on random blocks, against
/// the plainest reference: the weights dequantised by ``GGUFFile/tensor(named:)`` (Swift code of its
/// own), times the activations, summed in float64.
@Suite struct QuantizedKernelTests {
    static let rows = 7, columns = 96, tokens = 3

    /// A GGUF file with one random Q4_1 and one random Q8_0 matrix of `rows × columns`; the block
    /// scales span three orders of magnitude, and the Q8_0 bytes include −128.
    static func randomFile() throws -> GGUFFile {
        var random = RandomState(seed: 11)
        func half(_ value: Double) -> [UInt8] { GGUFTestFile.le(Float16(Float(value)).bitPattern) }
        func byte() -> UInt8 { UInt8(random.nextDouble() * 256) }
        var q4: [UInt8] = [], q8: [UInt8] = []
        for block in 0..<(rows * columns / 32) {
            let scale = pow(10, -3 + 3 * random.nextDouble())
            q4 += half(scale) + half(scale * (random.nextDouble() * 16 - 8)) + (0..<16).map { _ in byte() }
            q8 += half(scale) + (0..<32).map { j in block == 1 && j == 0 ? 0x80 : byte() }
        }
        var file = GGUFTestFile()
        file.addTensor("q4_1", [columns, rows], type: 3, data: q4)
        file.addTensor("q8_0", [columns, rows], type: 8, data: q8)
        return try GGUFFile(contentsOf: file.write(named: "random-blocks.gguf"))
    }

    /// `tokens × columns` activations with magnitudes from 0.01 to 10, one block all zeros.
    static func randomInput() -> [Float] {
        var random = RandomState(seed: 12)
        return (0..<(tokens * columns)).map { index in
            index / 32 == 2 ? 0 : Float((random.nextDouble() * 2 - 1) * pow(10, -2 + 3 * random.nextDouble()))
        }
    }

    /// What the int8 kernels multiply by: each block of 32 rounded to scale·round(x / scale),
    /// scale = max|x| / 127, in float32 as the kernel computes it.
    static func quantized(_ x: [Float]) -> [Double] {
        stride(from: 0, to: x.count, by: 32).flatMap { start -> [Double] in
            let block = x[start..<(start + 32)]
            let scale = block.map(abs).max()! / 127
            let inverse: Float = scale == 0 ? 0 : 1 / scale
            return block.map { Double(scale) * Double(($0 * inverse).rounded()) }
        }
    }

    @Test(arguments: ["q4_1", "q8_0"], LlamaArithmetic.allCases)
    func productsAreDequantiseThenDot(name: String, arithmetic: LlamaArithmetic) throws {
        let file = try Self.randomFile()
        let matrix = try QuantizedMatrix(file: file, name: name, shape: [Self.rows, Self.columns])
        let weights = try file.tensor(named: name).scalars
        #expect(matrix.dequantized().scalars == weights)
        let input = Self.randomInput()
        let x = arithmetic == .float32 ? input.map(Double.init) : Self.quantized(input)
        for level in QuantizedKernels.Level.available {
            for threads in [1, 3] {
                let kernels = QuantizedKernels(threads: threads, level: level)
                var output = [Float](repeating: .nan, count: Self.tokens * Self.rows)
                input.withUnsafeBufferPointer { input in
                    output.withUnsafeMutableBufferPointer { output in
                        kernels.multiply([matrix], input: input.baseAddress!, tokens: Self.tokens,
                                         outputs: [output.baseAddress!], arithmetic: arithmetic)
                    }
                }
                for t in 0..<Self.tokens {
                    for r in 0..<Self.rows {
                        let terms = (0..<Self.columns).map { weights[r * Self.columns + $0] * x[t * Self.columns + $0] }
                        let expected = terms.reduce(0, +)
                        // float32 sums of 96 terms: a few ulps of the sum of magnitudes.
                        let tolerance = 1e-6 * terms.map(abs).reduce(0, +)
                        let got = Double(output[t * Self.rows + r])
                        #expect(abs(got - expected) <= tolerance,
                                "\(name) \(arithmetic) \(level) \(threads) threads, token \(t) row \(r): \(got) vs \(expected)")
                    }
                }
            }
        }
    }

    @Test func theLevelsThisMachineRuns() {
        #expect(QuantizedKernels.Level.available.first == .scalar)
        print("QuantizedKernelTests: kernels at \(QuantizedKernels.Level.available)")
    }
}
