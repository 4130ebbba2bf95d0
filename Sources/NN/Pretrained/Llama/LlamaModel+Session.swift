import Foundation
import TensorCore

extension LlamaModel {
    /// A running sequence: the tokens fed so far and, for every layer, their keys and values (the
    /// KV cache), so that each new token costs one pass of its own through the layers instead of
    /// the whole sequence again.
    ///
    /// ```
    /// session.feed(prompt)   // all prompt tokens at once: batched matrix products, logits of the last
    /// session.feed(token)    // one more token, attending to every cached key and value
    /// ```
    /// A token at position p sees the keys and values of positions 0…p — the causal mask holds by
    /// construction, since later positions are not in the cache yet. Feeding a sequence in one piece
    /// or in several gives the same logits, to the bit: every token goes through the same kernels in
    /// the same order either way.
    public final class Session {
        /// The model this session runs.
        public let model: LlamaModel
        /// How activations meet the quantised weights.
        public let arithmetic: LlamaArithmetic
        let kernels: QuantizedKernels
        /// The tokens fed so far, in order: the next token goes at position `tokens.count`.
        public private(set) var tokens: [Int] = []
        /// Per layer, the rotated keys of every position so far, position after position
        /// (`keyValueSize` numbers each); the same for the values.
        private var keys: [[Float]]
        private var values: [[Float]]

        init(model: LlamaModel, arithmetic: LlamaArithmetic, kernels: QuantizedKernels) {
            self.model = model
            self.arithmetic = arithmetic
            self.kernels = kernels
            keys = Array(repeating: [], count: model.configuration.layerCount)
            values = keys
        }

        /// Feeds `tokens` after those already fed and returns the logits of the next token,
        /// `(vocabularySize,)` float32 (what a ``TokenSampler`` takes).
        ///
        /// - Precondition: `tokens` is not empty, ids are below `vocabularySize`, and the sequence
        ///   stays within `contextLength` positions.
        public func feed(_ tokens: [Int]) -> Tensor {
            forward(tokens, logitsOf: .last).logits!
        }

        /// Feeds one token and returns the logits of the next, `(vocabularySize,)` float32.
        public func feed(_ token: Int) -> Tensor {
            feed([token])
        }

        /// The bytes the KV cache holds now: for every layer, the keys and the values of every
        /// token fed, `keyValueHeadCount × headSize` float32 numbers each — with grouped-query
        /// attention (SmolLM2: 3 key/value heads for 9 query heads), a third of what one key/value
        /// head per query head would hold.
        public var cacheByteCount: Int {
            zip(keys, values).reduce(0) { $0 + $1.0.count + $1.1.count } * MemoryLayout<Float>.size
        }

        /// Empties the KV cache: the next token fed is at position 0.
        public func reset() {
            tokens = []
            keys = keys.map { _ in [] }
            values = keys
        }

        /// Which positions' logits a forward pass computes: the output projection is the largest
        /// matrix (49 152 rows), so a prompt's pass computes the last position's only.
        enum LogitRows { case none, last, all }

        /// The forward pass of `newTokens` after the cached ones: the logits of the chosen rows
        /// (`(vocabulary,)` for the last, `(T, vocabulary)` for all, nil for none), and the attention
        /// probabilities of one query head of one layer, `(T, tokens.count + T)`, when asked for.
        func forward(_ newTokens: [Int], logitsOf rows: LogitRows,
                     attentionOf recorded: (layer: Int, head: Int)? = nil) -> (logits: Tensor?, attention: Tensor?) {
            let c = model.configuration
            let count = newTokens.count, start = tokens.count
            guard count > 0, start + count <= c.contextLength else {
                tensorFailure("LlamaModel.Session.feed: \(count) tokens after \(start) would make \(start + count); feed at least one, and at most \(c.contextLength) in all (the model's context length)")
            }
            if let bad = newTokens.first(where: { !(0..<c.vocabularySize).contains($0) }) {
                tensorFailure("LlamaModel.Session.feed: token id \(bad) is not in the vocabulary of \(c.vocabularySize)")
            }
            let d = c.hiddenSize, kv = c.keyValueSize
            let x = Scratch(count * d), normed = Scratch(count * d), attended = Scratch(count * d), projected = Scratch(count * d)
            let q = Scratch(count * d), k = Scratch(count * kv), v = Scratch(count * kv)
            let gate = Scratch(count * c.feedForwardSize), up = Scratch(count * c.feedForwardSize)
            let attention = recorded.map { _ in Scratch(count * (start + count)) }
            for (t, token) in newTokens.enumerated() { model.embedding.dequantizeRow(token, into: x.pointer + t * d) }
            let angles = (0..<count).map { model.rotary.angles(position: start + $0) }

            for (index, layer) in model.layers.enumerated() {
                LlamaBlocks.rmsNorm(x.pointer, gain: layer.attentionNorm, epsilon: c.rmsNormEpsilon, rows: count, into: normed.pointer)
                kernels.multiply([layer.query, layer.key, layer.value], input: normed.pointer, tokens: count,
                                 outputs: [q.pointer, k.pointer, v.pointer], arithmetic: arithmetic)
                for t in 0..<count {
                    model.rotary.rotate(q.pointer + t * d, heads: c.headCount, angles: angles[t])
                    model.rotary.rotate(k.pointer + t * kv, heads: c.keyValueHeadCount, angles: angles[t])
                }
                keys[index].append(contentsOf: UnsafeBufferPointer(start: k.pointer, count: count * kv))
                values[index].append(contentsOf: UnsafeBufferPointer(start: v.pointer, count: count * kv))
                var record: (head: Int, into: UnsafeMutablePointer<Float>)?
                if let recorded, let attention, recorded.layer == index { record = (recorded.head, attention.pointer) }
                keys[index].withUnsafeBufferPointer { layerKeys in
                    values[index].withUnsafeBufferPointer { layerValues in
                        LlamaBlocks.attend(queries: q.pointer, keys: layerKeys.baseAddress!, values: layerValues.baseAddress!,
                                           start: start, tokens: count, configuration: c, into: attended.pointer, record: record)
                    }
                }
                kernels.multiply([layer.output], input: attended.pointer, tokens: count, outputs: [projected.pointer], arithmetic: arithmetic)
                LlamaBlocks.add(projected.pointer, to: x.pointer, count: count * d)

                LlamaBlocks.rmsNorm(x.pointer, gain: layer.feedForwardNorm, epsilon: c.rmsNormEpsilon, rows: count, into: normed.pointer)
                kernels.multiply([layer.gate, layer.up], input: normed.pointer, tokens: count,
                                 outputs: [gate.pointer, up.pointer], arithmetic: arithmetic)
                LlamaBlocks.swiGLU(gate: gate.pointer, up: up.pointer, count: count * c.feedForwardSize)
                kernels.multiply([layer.down], input: gate.pointer, tokens: count, outputs: [projected.pointer], arithmetic: arithmetic)
                LlamaBlocks.add(projected.pointer, to: x.pointer, count: count * d)
            }
            tokens += newTokens

            let attentionTensor = attention.map { $0.tensor(shape: [count, start + count]) }
            let first = rows == .all ? 0 : count - 1
            let logitCount = rows == .none ? 0 : count - first
            guard logitCount > 0 else { return (nil, attentionTensor) }
            LlamaBlocks.rmsNorm(x.pointer + first * d, gain: model.outputNorm, epsilon: c.rmsNormEpsilon,
                                rows: logitCount, into: normed.pointer)
            let logits = Scratch(logitCount * c.vocabularySize)
            kernels.multiply([model.outputProjection], input: normed.pointer, tokens: logitCount,
                             outputs: [logits.pointer], arithmetic: arithmetic)
            let shape = rows == .all ? [count, c.vocabularySize] : [c.vocabularySize]
            return (logits.tensor(shape: shape), attentionTensor)
        }
    }
}

/// Float32 working memory for one forward pass, zeroed, freed with it.
final class Scratch {
    let pointer: UnsafeMutablePointer<Float>
    let count: Int

    init(_ count: Int) {
        self.count = count
        pointer = .allocate(capacity: max(count, 1))
        pointer.initialize(repeating: 0, count: max(count, 1))
    }

    deinit { pointer.deallocate() }

    /// A float32 tensor of `shape` holding the first `shape`'s element count numbers.
    func tensor(shape: [Int]) -> Tensor {
        let elements = shape.reduce(1, *)
        precondition(elements <= count)
        return Tensor(shape: shape, dtype: .float32,
                      littleEndianBytes: UnsafeRawBufferPointer(start: pointer, count: elements * MemoryLayout<Float>.size))
    }
}
