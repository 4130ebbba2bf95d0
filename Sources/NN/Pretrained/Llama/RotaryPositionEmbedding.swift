import Foundation
import TensorCore

/// Rotary position embedding, RoPE (Su et al., 2021, "RoFormer"): each adjacent pair of a head's
/// numbers is rotated by an angle proportional to the token's position, a different speed per pair.
///
/// ```
/// θ_i = base^(−2i / headSize),  i = 0 ..< headSize/2
/// (x[2i], x[2i+1]) at position p  ↦  (x[2i]·cos pθ_i − x[2i+1]·sin pθ_i,
///                                     x[2i]·sin pθ_i + x[2i+1]·cos pθ_i)
/// ```
/// A rotation keeps lengths, and rotating q by pθ and k by p′θ turns their dot product into one
/// that depends on p − p′ only: attention sees how far apart two tokens are, not where they are.
/// The angles are computed in float64 and rounded to float32 once.
public struct RotaryPositionEmbedding: Sendable {
    /// The numbers per head, even.
    public let headSize: Int
    /// The base, θ (Llama 2: 10 000; SmolLM2: 100 000).
    public let base: Double
    /// θ_i for each pair.
    let frequencies: [Double]

    /// RoPE for heads of `headSize` (even) numbers with base `base`.
    public init(headSize: Int, base: Double) {
        precondition(headSize > 0 && headSize % 2 == 0, "RotaryPositionEmbedding: the head size must be even, got \(headSize)")
        self.headSize = headSize
        self.base = base
        frequencies = (0..<(headSize / 2)).map { pow(base, -2 * Double($0) / Double(headSize)) }
    }

    /// `vector` (one head, `(headSize,)`) rotated as the token at `position` is.
    public func rotated(_ vector: Tensor, position: Int) -> Tensor {
        guard vector.shape == [headSize] else {
            tensorFailure("RotaryPositionEmbedding.rotated: the vector must have shape (\(headSize),), got \(vector.shapeDescription)")
        }
        var values = vector.scalars.map { Float($0) }
        let angles = self.angles(position: position)
        values.withUnsafeMutableBufferPointer { rotate($0.baseAddress!, heads: 1, angles: angles) }
        return values.withUnsafeBytes { Tensor(shape: [headSize], dtype: .float32, littleEndianBytes: $0) }
    }

    /// cos pθ_i and sin pθ_i for each pair, as float32.
    func angles(position: Int) -> (cos: [Float], sin: [Float]) {
        let angles = frequencies.map { Double(position) * $0 }
        return (angles.map { Float(Foundation.cos($0)) }, angles.map { Float(Foundation.sin($0)) })
    }

    /// Rotates `heads` consecutive heads at `x` in place by `angles`.
    func rotate(_ x: UnsafeMutablePointer<Float>, heads: Int, angles: (cos: [Float], sin: [Float])) {
        for head in 0..<heads {
            let h = x + head * headSize
            for i in 0..<(headSize / 2) {
                let even = h[2 * i], odd = h[2 * i + 1]
                let c = angles.cos[i], s = angles.sin[i]
                h[2 * i] = even * c - odd * s
                h[2 * i + 1] = even * s + odd * c
            }
        }
    }
}
