import Foundation

/// The elementwise pieces of a Llama block, on float32 rows: RMSNorm, causal grouped-query
/// attention over the KV cache, SwiGLU and the residual additions. The matrix products are
/// ``QuantizedKernels``'.
enum LlamaBlocks {
    /// RMSNorm (Zhang & Sennrich, 2019) of each of `rows` rows of `gain.count` numbers:
    ///
    /// ```
    /// y = x / √(mean(x²) + ε) · g
    /// ```
    /// No mean is subtracted, unlike LayerNorm. The mean of squares is summed in float64: a row
    /// is 576 numbers, and the reference does the same.
    static func rmsNorm(_ x: UnsafePointer<Float>, gain: [Float], epsilon: Double, rows: Int,
                        into out: UnsafeMutablePointer<Float>) {
        let width = gain.count
        for row in 0..<rows {
            let input = x + row * width, output = out + row * width
            var squares = 0.0
            for i in 0..<width { squares += Double(input[i]) * Double(input[i]) }
            let inverse = Float(1 / (squares / Double(width) + epsilon).squareRoot())
            for i in 0..<width { output[i] = input[i] * inverse * gain[i] }
        }
    }

    /// Causal grouped-query attention of `tokens` new queries (positions `start…start + tokens − 1`)
    /// against the cached keys and values of positions `0…start + tokens − 1`:
    ///
    /// ```
    /// out_h[t] = Σ_{j ≤ p} softmax_j( q_h[t]·k_g[j] / √headSize ) · v_g[j],   p = start + t,  g = h / (heads / kvHeads)
    /// ```
    /// Query head h reads key/value head `h / (headCount / keyValueHeadCount)`, so consecutive
    /// query heads share one (llama.cpp's broadcast and Hugging Face's `repeat_kv` both do this).
    /// `record` copies one head's probabilities, a row of `start + tokens` per query.
    static func attend(queries: UnsafePointer<Float>, keys: UnsafePointer<Float>, values: UnsafePointer<Float>,
                       start: Int, tokens: Int, configuration c: LlamaConfiguration,
                       into out: UnsafeMutablePointer<Float>, record: (head: Int, into: UnsafeMutablePointer<Float>)?) {
        let size = c.headSize, kv = c.keyValueSize, group = c.headCount / c.keyValueHeadCount
        let scale = 1 / Float(size).squareRoot()
        let length = start + tokens
        var scores = [Float](repeating: 0, count: length)
        scores.withUnsafeMutableBufferPointer { scores in
            for t in 0..<tokens {
                let visible = start + t + 1
                for head in 0..<c.headCount {
                    let query = queries + t * c.hiddenSize + head * size
                    let offset = (head / group) * size
                    var largest = -Float.infinity
                    for j in 0..<visible {
                        let key = keys + j * kv + offset
                        var dot: Float = 0
                        for i in 0..<size { dot += query[i] * key[i] }
                        scores[j] = dot * scale
                        largest = max(largest, scores[j])
                    }
                    // Subtracting the largest score keeps every exp ≤ 1: no overflow, same softmax.
                    var total: Float = 0
                    for j in 0..<visible {
                        scores[j] = exp(scores[j] - largest)
                        total += scores[j]
                    }
                    let output = out + t * c.hiddenSize + head * size
                    output.update(repeating: 0, count: size)
                    for j in 0..<visible {
                        let weight = scores[j] / total
                        let value = values + j * kv + offset
                        for i in 0..<size { output[i] += weight * value[i] }
                    }
                    if let record, record.head == head {
                        for j in 0..<visible { record.into[t * length + j] = scores[j] / total }
                    }
                }
            }
        }
    }

    /// SwiGLU's gate (Shazeer, 2020), in place in `gate`: `gate = silu(gate) ⊙ up`, silu(g) = g·σ(g).
    static func swiGLU(gate: UnsafeMutablePointer<Float>, up: UnsafePointer<Float>, count: Int) {
        for i in 0..<count {
            let g = gate[i]
            gate[i] = g / (1 + exp(-g)) * up[i]
        }
    }

    /// The residual connection: `x += y`.
    static func add(_ y: UnsafePointer<Float>, to x: UnsafeMutablePointer<Float>, count: Int) {
        for i in 0..<count { x[i] += y[i] }
    }
}
