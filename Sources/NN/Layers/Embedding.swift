import Foundation
import TensorCore

/// A table of learned vectors, one per token id (PyTorch's `nn.Embedding`): looking up ids
/// `(…)` gives their rows `(…, dimension)`. Only the rows looked up receive a gradient.
public final class Embedding: Layer {
    /// The table, `(count, dimension)`, standard normal at the start.
    public let table: Parameter

    public init(_ count: Int, _ dimension: Int, random: inout RandomState) {
        table = Parameter(random.randn(count, dimension))
    }

    public convenience init(_ count: Int, _ dimension: Int) {
        self.init(count, dimension, random: &Random.global)
    }

    /// A table with the given rows, `(count, dimension)`: a pretrained model's.
    public init(table: Tensor, file: StaticString = #filePath, line: UInt = #line) {
        guard table.rank == 2, table.dtype.isFloatingPoint else {
            tensorFailure("Embedding: the table must be a float matrix (count, dimension), got \(table.dtype) \(table.shapeDescription)",
                          file: file, line: line)
        }
        self.table = Parameter(table)
    }

    public var ownParameters: [(name: String, parameter: Parameter)] { [("table", table)] }

    /// The rows of `ids`, an `int64` tensor of token ids.
    public func callAsFunction(_ ids: Tensor) -> Tensor {
        table.value.gather(ids, axis: 0)
    }
}

/// The sinusoidal position table of "Attention Is All You Need" (Vaswani et al., 2017):
///
/// ```
/// PE[pos, 2i]     = sin(pos / 10000^(2i/d))
/// PE[pos, 2i + 1] = cos(pos / 10000^(2i/d))
/// ```
/// - Shapes: `(positions, dimension)`; `dimension` must be even.
public func sinusoidalPositionalEncoding(positions: Int, dimension: Int,
                                         file: StaticString = #filePath, line: UInt = #line) -> Tensor {
    guard positions >= 0, dimension > 0, dimension % 2 == 0 else {
        tensorFailure("sinusoidalPositionalEncoding: needs positions ≥ 0 and an even dimension > 0, got \(positions) and \(dimension)",
                      file: file, line: line)
    }
    var values = [Double](repeating: 0, count: positions * dimension)
    for position in 0..<positions {
        for pair in 0..<(dimension / 2) {
            let angle = Double(position) / Foundation.pow(10_000, Double(2 * pair) / Double(dimension))
            values[position * dimension + 2 * pair] = Foundation.sin(angle)
            values[position * dimension + 2 * pair + 1] = Foundation.cos(angle)
        }
    }
    return Tensor(shape: [positions, dimension], scalars: values)
}

/// Adds the fixed sinusoidal encoding of each position to a sequence `(…, length, dimension)`;
/// it learns nothing.
public final class SinusoidalPositionalEncoding: Layer {
    /// The table for every position up to `maxLength`.
    public let table: Tensor

    public init(maxLength: Int, dimension: Int) {
        table = sinusoidalPositionalEncoding(positions: maxLength, dimension: dimension)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        input + table[0..<PositionalEncodingCheck.length(of: input, table: table, layer: "SinusoidalPositionalEncoding")]
    }
}

/// Adds a learned vector for each position to a sequence `(…, length, dimension)` (as BERT and
/// GPT-2 do); the table starts as small normal noise (standard deviation 0.02).
public final class LearnedPositionalEncoding: Layer {
    public let table: Parameter

    public init(maxLength: Int, dimension: Int, random: inout RandomState) {
        table = Parameter(random.randn(maxLength, dimension) * 0.02)
    }

    public var ownParameters: [(name: String, parameter: Parameter)] { [("table", table)] }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        input + table.value[0..<PositionalEncodingCheck.length(of: input, table: table.value, layer: "LearnedPositionalEncoding")]
    }
}

enum PositionalEncodingCheck {
    /// The sequence length of `input`, stopping with a message when the table is too short or
    /// the widths differ.
    static func length(of input: Tensor, table: Tensor, layer: String) -> Int {
        guard input.rank >= 2, input.shape[input.rank - 1] == table.shape[1] else {
            tensorFailure("\(layer): expects a sequence (…, length, \(table.shape[1])), got shape \(input.shapeDescription)")
        }
        let length = input.shape[input.rank - 2]
        guard length <= table.shape[0] else {
            tensorFailure("\(layer): a sequence of \(length) positions is longer than the table's \(table.shape[0]); make it with a larger maxLength")
        }
        return length
    }
}
