import TensorCore

/// Multi-head scaled dot-product attention (PyTorch's `nn.MultiheadAttention`, Vaswani et al. 2017):
///
/// ```
/// headᵢ = softmax(Qᵢ·Kᵢᵀ / √d_head + mask) · Vᵢ      Qᵢ, Kᵢ, Vᵢ: head i's slice of x·W_Q, x·W_K, x·W_V
/// output = concat(head₁, …, head_h) · W_O
/// ```
///
/// The model width `d` is split evenly between the heads (`d_head = d / h`). Inputs are a sequence
/// `(length, d)` or a batch of them `(batch, length, d)`.
///
/// The projections are `Linear` layers unless replaced by other ``ProjectionLayer``s of the same
/// shape (``replaceProjection(named:with:)``), such as LoRA-adapted ones
/// (``Module/applyLoRA(rank:alpha:targets:seed:file:line:)``).
public final class MultiHeadAttention: Layer, ProjectionContainer {
    /// The projections: queries, keys, values, and the output of the joined heads, `(d, d)` each.
    public private(set) var query: any ProjectionLayer
    public private(set) var key: any ProjectionLayer
    public private(set) var value: any ProjectionLayer
    public private(set) var output: any ProjectionLayer
    public let headCount: Int
    /// Dropout on the attention weights before they mix the values (BERT's
    /// `attention_probs_dropout_prob`), or nil for none. Active in training mode only; the
    /// weights ``attend(query:key:value:keyPaddingMask:causal:file:line:)`` returns are the ones
    /// before it.
    public let weightsDropout: Dropout?

    /// - Parameters:
    ///   - modelDimension: `d`, the width of the inputs and the output.
    ///   - headCount: `h`, which must divide `d`.
    ///   - bias: whether the four projections have biases.
    public init(modelDimension: Int, headCount: Int, bias: Bool = true, random: inout RandomState,
                file: StaticString = #filePath, line: UInt = #line) {
        guard headCount > 0, modelDimension % headCount == 0 else {
            tensorFailure("MultiHeadAttention: \(headCount) heads cannot split a model width of \(modelDimension) evenly",
                          file: file, line: line)
        }
        self.headCount = headCount
        query = Linear(modelDimension, modelDimension, bias: bias, random: &random)
        key = Linear(modelDimension, modelDimension, bias: bias, random: &random)
        value = Linear(modelDimension, modelDimension, bias: bias, random: &random)
        output = Linear(modelDimension, modelDimension, bias: bias, random: &random)
        weightsDropout = nil
    }

    /// Attention with given projection matrices `(d, d)` and no biases: the weights of a lesson's
    /// hand-written attention, to compare with this layer.
    public init(queryWeight: Tensor, keyWeight: Tensor, valueWeight: Tensor, outputWeight: Tensor, headCount: Int,
                file: StaticString = #filePath, line: UInt = #line) {
        let d = queryWeight.shape.first ?? 0
        for weight in [queryWeight, keyWeight, valueWeight, outputWeight] where weight.shape != [d, d] {
            tensorFailure("MultiHeadAttention: every projection must be (\(d), \(d)), got \(weight.shapeDescription)", file: file, line: line)
        }
        guard headCount > 0, d % headCount == 0 else {
            tensorFailure("MultiHeadAttention: \(headCount) heads cannot split a model width of \(d) evenly", file: file, line: line)
        }
        self.headCount = headCount
        query = Linear(weight: queryWeight)
        key = Linear(weight: keyWeight)
        value = Linear(weight: valueWeight)
        output = Linear(weight: outputWeight)
        weightsDropout = nil
    }

    /// Attention with the given projections, each `(d, d)` with or without bias: a pretrained
    /// model's (BERT's `attention.self.query`, … and `attention.output.dense`).
    ///
    /// - Parameters:
    ///   - weightsDropout: the probability of dropping each attention weight in training mode
    ///     (BERT's `attention_probs_dropout_prob`); 0 for none.
    ///   - dropoutSeed: the seed of that dropout's own generator.
    public init(query: any ProjectionLayer, key: any ProjectionLayer, value: any ProjectionLayer, output: any ProjectionLayer,
                headCount: Int, weightsDropout: Double = 0, dropoutSeed: UInt32 = 0,
                file: StaticString = #filePath, line: UInt = #line) {
        let d = query.inputs
        for layer in [query, key, value, output] where layer.inputs != d || layer.outputs != d {
            tensorFailure("MultiHeadAttention: every projection must be (\(d), \(d)), got (\(layer.inputs), \(layer.outputs))", file: file, line: line)
        }
        guard headCount > 0, d % headCount == 0 else {
            tensorFailure("MultiHeadAttention: \(headCount) heads cannot split a model width of \(d) evenly", file: file, line: line)
        }
        self.headCount = headCount
        self.query = query
        self.key = key
        self.value = value
        self.output = output
        self.weightsDropout = weightsDropout > 0 ? Dropout(weightsDropout, seed: dropoutSeed, file: file, line: line) : nil
    }

    public var modelDimension: Int { query.inputs }
    public var headDimension: Int { modelDimension / headCount }

    public var children: [(name: String, module: any Module)] {
        [("query", query), ("key", key), ("value", value), ("output", output)]
            + (weightsDropout.map { [("weightsDropout", $0 as any Module)] } ?? [])
    }

    public var projections: [(name: String, layer: any ProjectionLayer)] {
        [("query", query), ("key", key), ("value", value), ("output", output)]
    }

    public func replaceProjection(named name: String, with layer: any ProjectionLayer) {
        checkReplacement(named: name, with: layer, among: projections, in: "MultiHeadAttention")
        switch name {
        case "query": query = layer
        case "key": key = layer
        case "value": value = layer
        default: output = layer
        }
    }

    /// Self-attention of `input` over itself, without masks.
    public func callAsFunction(_ input: Tensor) -> Tensor {
        attend(query: input, key: input, value: input).output
    }

    /// Attends from each query position to the key positions.
    ///
    /// - Parameters:
    ///   - query: `(t, d)` or `(b, t, d)`.
    ///   - key, value: `(s, d)` or `(b, s, d)`.
    ///   - keyPaddingMask: `bool` `(s,)` or `(b, s)`, true at key positions to ignore (padding),
    ///     as PyTorch's `key_padding_mask`.
    ///   - causal: when true, position i attends only to positions j ≤ i (needs t = s).
    /// - Returns: the output `(t, d)` or `(b, t, d)`, and every head's attention weights
    ///   `(h, t, s)` or `(b, h, t, s)`; each row of weights sums to 1.
    public func attend(query: Tensor, key: Tensor, value: Tensor, keyPaddingMask: Tensor? = nil, causal: Bool = false,
                       file: StaticString = #filePath, line: UInt = #line) -> (output: Tensor, weights: Tensor) {
        let batched = query.rank == 3
        guard query.rank == key.rank, key.rank == value.rank, query.rank == 2 || batched,
              query.shape.last == modelDimension, key.shape.last == modelDimension, value.shape.last == modelDimension,
              key.shape == value.shape else {
            tensorFailure("MultiHeadAttention: expects query, key and value of shape (length, \(modelDimension)) or (batch, length, \(modelDimension)), with keys and values alike; got \(query.shapeDescription), \(key.shapeDescription), \(value.shapeDescription)",
                          file: file, line: line)
        }
        // Work on batches: (b, length, d).
        let (q3, k3, v3) = batched ? (query, key, value)
            : (query.unsqueezed(axis: 0), key.unsqueezed(axis: 0), value.unsqueezed(axis: 0))
        let (batch, targetLength, sourceLength) = (q3.shape[0], q3.shape[1], k3.shape[1])
        guard k3.shape[0] == batch else {
            tensorFailure("MultiHeadAttention: the query has a batch of \(batch) but the key a batch of \(k3.shape[0])", file: file, line: line)
        }

        // (b, length, d) → (b, h, length, d_head)
        func heads(_ x: Tensor, _ length: Int) -> Tensor {
            x.reshaped([batch, length, headCount, headDimension]).permuted(0, 2, 1, 3)
        }
        let q = heads(self.query(q3), targetLength)
        let k = heads(self.key(k3), sourceLength)
        let v = heads(self.value(v3), sourceLength)

        let scores = q.matmul(k.transposed(-2, -1))   // (b, h, t, s)
        if causal {
            guard targetLength == sourceLength else {
                tensorFailure("MultiHeadAttention: a causal mask needs as many queries as keys, got \(targetLength) and \(sourceLength)",
                              file: file, line: line)
            }
        }
        var hidden: Tensor?
        if let keyPaddingMask {
            let expected = batched ? [batch, sourceLength] : [sourceLength]
            guard keyPaddingMask.dtype == .bool, keyPaddingMask.shape == expected else {
                tensorFailure("MultiHeadAttention: the key padding mask must be bool of shape \(Tensor.shapeDescription(expected)), got \(keyPaddingMask.dtype) \(keyPaddingMask.shapeDescription)",
                              file: file, line: line)
            }
            // (b, s) → (b, 1, 1, s): the same keys hidden from every head and query.
            hidden = keyPaddingMask.reshaped([batch, 1, 1, sourceLength])
        }
        // softmax(scores / √d_head) with the hidden keys (and, when causal, the future) at −∞,
        // in one pass over the scores.
        let weights = scores.maskedSoftmax(temperature: Double(headDimension).squareRoot(), mask: hidden, causal: causal)
        let mixing = weightsDropout.map { $0(weights) } ?? weights
        let joined = mixing.matmul(v).permuted(0, 2, 1, 3).reshaped([batch, targetLength, modelDimension])
        let result = self.output(joined)
        return batched ? (result, weights) : (result.squeezed(axis: 0), weights.squeezed(axis: 0))
    }
}

/// One encoder block of the Transformer (PyTorch's `nn.TransformerEncoderLayer`, ReLU). By
/// default the normalisation comes after each residual connection ("post-LN", Vaswani et al. 2017,
/// PyTorch's default):
///
/// ```
/// x = LayerNorm₁(x + Dropout(SelfAttention(x)))
/// x = LayerNorm₂(x + Dropout(W₂·Dropout(ReLU(W₁·x))))
/// ```
///
/// With `normFirst` it comes before each sub-layer, on the branch only ("pre-LN", PyTorch's
/// `norm_first=True`, GPT-2's blocks), so the residual path from input to output is the identity:
///
/// ```
/// x = x + Dropout(SelfAttention(LayerNorm₁(x)))
/// x = x + Dropout(W₂·Dropout(ReLU(W₁·LayerNorm₂(x))))
/// ```
///
/// Xiong et al. (2020, "On Layer Normalization in the Transformer Architecture") show why pre-LN
/// stacks train without a learning-rate warm-up: their gradients stay of one size across layers.
public final class TransformerEncoderLayer: Layer {
    public let attention: MultiHeadAttention
    public let firstNorm: LayerNorm
    /// The position-wise feed-forward network: `expand`, ReLU, dropout, `contract`.
    public let feedForward: Sequential
    /// The feed-forward network's first layer, `d → feedForwardDimension` (PyTorch's `linear1`).
    public let expand: Linear
    /// The feed-forward network's last layer, `feedForwardDimension → d` (PyTorch's `linear2`).
    public let contract: Linear
    public let secondNorm: LayerNorm
    public let attentionDropout: Dropout
    public let feedForwardDropout: Dropout
    /// Whether each sub-layer normalises its input (pre-LN) rather than the residual sum (post-LN).
    public let normFirst: Bool

    /// A block with PyTorch's initialisation.
    ///
    /// - Parameters:
    ///   - modelDimension: `d`, the width of the tokens' vectors.
    ///   - headCount: the attention heads, which must divide `d`.
    ///   - feedForwardDimension: the width of the feed-forward network's hidden layer (often 4·d).
    ///   - dropout: the probability of each of the three dropouts (0 turns them off).
    ///   - normFirst: pre-LN instead of post-LN (see above).
    ///   - dropoutSeed: the seed of the dropouts' own generators.
    public init(modelDimension: Int, headCount: Int, feedForwardDimension: Int, dropout: Double = 0.1,
                normFirst: Bool = false, random: inout RandomState, dropoutSeed: UInt32 = 0) {
        self.normFirst = normFirst
        attention = MultiHeadAttention(modelDimension: modelDimension, headCount: headCount, random: &random)
        firstNorm = LayerNorm(modelDimension)
        expand = Linear(modelDimension, feedForwardDimension, random: &random)
        contract = Linear(feedForwardDimension, modelDimension, random: &random)
        feedForward = Sequential(expand, ReLU(), Dropout(dropout, seed: dropoutSeed &+ 2), contract)
        secondNorm = LayerNorm(modelDimension)
        attentionDropout = Dropout(dropout, seed: dropoutSeed)
        feedForwardDropout = Dropout(dropout, seed: dropoutSeed &+ 1)
    }

    public var children: [(name: String, module: any Module)] {
        [("attention", attention), ("firstNorm", firstNorm), ("feedForward", feedForward), ("secondNorm", secondNorm),
         ("attentionDropout", attentionDropout), ("feedForwardDropout", feedForwardDropout)]
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        encode(input).output
    }

    /// The block's output and its attention weights; see ``MultiHeadAttention/attend(query:key:value:keyPaddingMask:causal:file:line:)``.
    public func encode(_ input: Tensor, keyPaddingMask: Tensor? = nil, causal: Bool = false) -> (output: Tensor, weights: Tensor) {
        if normFirst {
            let normalised = firstNorm(input)
            let attended = attention.attend(query: normalised, key: normalised, value: normalised,
                                            keyPaddingMask: keyPaddingMask, causal: causal)
            let afterAttention = input + attentionDropout(attended.output)
            let output = afterAttention + feedForwardDropout(feedForward(secondNorm(afterAttention)))
            return (output, attended.weights)
        }
        let attended = attention.attend(query: input, key: input, value: input, keyPaddingMask: keyPaddingMask, causal: causal)
        let afterAttention = firstNorm(input + attentionDropout(attended.output))
        let output = secondNorm(afterAttention + feedForwardDropout(feedForward(afterAttention)))
        return (output, attended.weights)
    }
}
