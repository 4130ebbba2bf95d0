import TensorCore

/// A BERT encoder (Devlin et al., 2019): token, position and token-type embeddings, then a stack
/// of post-LayerNorm Transformer layers, each self-attention over every token followed by a GELU
/// feed-forward block. Pretrained, it is loaded with ``load(from:dtype:)`` (a model folder) or
/// ``load(named:dtype:)`` (a model of `Models/`).
///
/// ```
/// h₀ = LayerNorm(word[ids] + position[0..<t] + tokenType[types])
/// for each layer:
///     a = LayerNorm(h + SelfAttention(h, padding mask))          (attention.output.LayerNorm)
///     h = LayerNorm(a + W₂·gelu(W₁·a + b₁) + b₂)                 (output.LayerNorm)
/// ```
///
/// The modules are named as the checkpoint names them (`embeddings.word_embeddings`,
/// `encoder.layer.3.attention.self.query`, …), so a path in ``Module/parameters`` reads like the
/// tensor's name in `model.safetensors` — except that a `Linear` holds its weight transposed,
/// `(inputs, outputs)`, as Cuaderno's layers do, and LayerNorm's weight and bias are
/// `scale` and `shift`.
///
/// Inference only: the parameters are frozen and the forward pass records nothing for gradients.
public final class BERTModel: Module {
    public let configuration: BERTConfiguration
    /// The embeddings and the LayerNorm after them.
    public let embeddings: BERTEmbeddings
    /// The encoder layers, in order: `layers[i]` reads `hiddenStates[i]` and writes `hiddenStates[i + 1]`.
    public let layers: [BERTLayer]
    /// BERT's pooler, `tanh(h[CLS]·W + b)`, trained for next-sentence prediction, when the
    /// checkpoint has one (``pooledOutput(_:)``). Sentence embeddings do not use it.
    public let pooler: Linear?

    /// A model made of the given parts.
    public init(configuration: BERTConfiguration, embeddings: BERTEmbeddings, layers: [BERTLayer], pooler: Linear? = nil) {
        self.configuration = configuration
        self.embeddings = embeddings
        self.layers = layers
        self.pooler = pooler
        freeze()
    }

    public var children: [(name: String, module: any Module)] {
        [("embeddings", embeddings)] + layers.enumerated().map { ("encoder.layer.\($0.offset)", $0.element as any Module) }
            + (pooler.map { [("pooler.dense", $0 as any Module)] } ?? [])
    }

    /// The pooler's output for each text, `tanh(h[CLS]·W + b)`: `(texts, hidden)`, or `(hidden,)`
    /// for one text; nil when the checkpoint has no pooler.
    public func pooledOutput(_ output: BERTOutput) -> Tensor? {
        guard let pooler else { return nil }
        let last = output.lastHiddenState
        let first = last.rank == 3 ? last[..., 0] : last[0]
        return Tensor.withoutGradients { pooler(first).tanh() }
    }

    /// The forward pass over a batch of token ids.
    ///
    /// - Parameters:
    ///   - ids: `int64` token ids, `(texts, tokens)`, or `(tokens,)` for one text.
    ///   - attentionMask: 1 for real tokens, 0 for padding, of the shape of `ids`; nil when there
    ///     is no padding. No token attends to padding.
    ///   - tokenTypes: the segment of each token (0 or 1), of the shape of `ids`; nil for all 0.
    /// - Returns: every hidden state and every layer's attention weights; for `(tokens,)` ids,
    ///   without the batch axis.
    public func callAsFunction(ids: Tensor, attentionMask: Tensor? = nil, tokenTypes: Tensor? = nil,
                               file: StaticString = #filePath, line: UInt = #line) -> BERTOutput {
        guard ids.dtype == .int64, ids.rank == 1 || ids.rank == 2 else {
            tensorFailure("BERTModel: the ids must be int64 of shape (tokens,) or (texts, tokens), got \(ids.dtype) \(ids.shapeDescription)",
                          file: file, line: line)
        }
        for (name, tensor) in [("attention mask", attentionMask), ("token types", tokenTypes)] {
            if let tensor, tensor.shape != ids.shape {
                tensorFailure("BERTModel: the \(name) must have the shape of the ids, \(ids.shapeDescription), got \(tensor.shapeDescription)",
                              file: file, line: line)
            }
        }
        let tokenCount = ids.shape[ids.rank - 1]
        guard tokenCount <= configuration.maxPositions else {
            tensorFailure("BERTModel: \(tokenCount) tokens are more than the model's \(configuration.maxPositions) positions; encode with maxLength: \(configuration.maxPositions) (or less)",
                          file: file, line: line)
        }
        let batched = ids.rank == 2
        let ids2 = batched ? ids : ids.unsqueezed(axis: 0)
        // true at padding: the keys no query may look at (none when every token is real).
        var padding: Tensor?
        if let attentionMask, attentionMask.min() == 0 {
            padding = (batched ? attentionMask : attentionMask.unsqueezed(axis: 0)) .== 0
        }
        let types = tokenTypes.map { batched ? $0 : $0.unsqueezed(axis: 0) }

        return Tensor.withoutGradients {
            var hidden = embeddings(ids: ids2, tokenTypes: types)
            var hiddenStates = [hidden]
            var attentions: [Tensor] = []
            for layer in layers {
                let (output, weights) = layer.encode(hidden, keyPaddingMask: padding)
                hidden = output
                hiddenStates.append(output)
                attentions.append(weights)
            }
            if batched { return BERTOutput(hiddenStates: hiddenStates, attentions: attentions) }
            return BERTOutput(hiddenStates: hiddenStates.map { $0.squeezed(axis: 0) },
                              attentions: attentions.map { $0.squeezed(axis: 0) })
        }
    }

    /// The forward pass over one encoded text; the results have no batch axis: hidden states
    /// `(tokens, hidden)`, attention weights `(heads, tokens, tokens)`.
    public func callAsFunction(_ text: TokenizedText) -> BERTOutput {
        self(ids: Tensor(indices: text.ids), attentionMask: Tensor(indices: text.attentionMask))
    }

    /// The forward pass over padded texts: hidden states `(texts, tokens, hidden)`, attention
    /// weights `(texts, heads, tokens, tokens)`.
    public func callAsFunction(_ batch: TokenizedBatch) -> BERTOutput {
        self(ids: batch.ids, attentionMask: batch.attentionMask)
    }
}

/// What a BERT forward pass gives.
public struct BERTOutput: Sendable {
    /// The embeddings (after their LayerNorm) and then each layer's output: `layerCount + 1`
    /// tensors `(texts, tokens, hidden)`. `hiddenStates[i]` is what layer `i` reads.
    public let hiddenStates: [Tensor]
    /// Each layer's attention weights, `(texts, heads, tokens, tokens)`: row `q` of head `h` says
    /// how much token `q` takes from each token; it sums to 1, with 0 for padding.
    public let attentions: [Tensor]

    public init(hiddenStates: [Tensor], attentions: [Tensor]) {
        self.hiddenStates = hiddenStates
        self.attentions = attentions
    }

    /// The last layer's output, `(texts, tokens, hidden)`: one vector per token.
    public var lastHiddenState: Tensor { hiddenStates[hiddenStates.count - 1] }
}

/// BERT's input layer: each token's vector is the sum of its word, position and token-type
/// embeddings, then normalised.
///
/// ```
/// h₀[t] = LayerNorm(word[ids[t]] + position[t] + tokenType[types[t]])
/// ```
public final class BERTEmbeddings: Module {
    /// One row per token of the vocabulary, `(vocabulary, hidden)`.
    public let words: Embedding
    /// One row per position, `(maxPositions, hidden)`: BERT learns its positions.
    public let positions: Embedding
    /// One row per token type (segment), `(types, hidden)`.
    public let tokenTypes: Embedding
    public let norm: LayerNorm

    public init(words: Embedding, positions: Embedding, tokenTypes: Embedding, norm: LayerNorm) {
        self.words = words
        self.positions = positions
        self.tokenTypes = tokenTypes
        self.norm = norm
    }

    public var children: [(name: String, module: any Module)] {
        [("word_embeddings", words), ("position_embeddings", positions), ("token_type_embeddings", tokenTypes), ("LayerNorm", norm)]
    }

    /// The input vectors for `ids` `(texts, tokens)`: `(texts, tokens, hidden)`.
    public func callAsFunction(ids: Tensor, tokenTypes types: Tensor? = nil) -> Tensor {
        let tokenCount = ids.shape[ids.rank - 1]
        var sum = words(ids) + positions.table.value[0..<tokenCount]
        // Without types every token is of type 0: one row, added to all.
        sum = sum + (types.map { tokenTypes($0) } ?? tokenTypes.table.value[0])
        return norm(sum)
    }
}

/// One BERT encoder layer: multi-head self-attention, then a GELU feed-forward block, each added
/// to its input and normalised after (post-LN).
///
/// ```
/// a = LayerNorm(x + SelfAttention(x))
/// y = LayerNorm(a + W₂·gelu(W₁·a + b₁) + b₂)
/// ```
public final class BERTLayer: Module {
    /// The query, key, value and output projections, `(hidden, hidden)` each.
    public let attention: MultiHeadAttention
    /// The LayerNorm after attention and its residual (`attention.output.LayerNorm`).
    public let attentionNorm: LayerNorm
    /// `W₁`, `(hidden, intermediate)` (`intermediate.dense`).
    public let intermediate: Linear
    /// `W₂`, `(intermediate, hidden)` (`output.dense`).
    public let output: Linear
    /// The LayerNorm after the feed-forward block and its residual (`output.LayerNorm`).
    public let outputNorm: LayerNorm

    public init(attention: MultiHeadAttention, attentionNorm: LayerNorm, intermediate: Linear, output: Linear, outputNorm: LayerNorm) {
        self.attention = attention
        self.attentionNorm = attentionNorm
        self.intermediate = intermediate
        self.output = output
        self.outputNorm = outputNorm
    }

    public var children: [(name: String, module: any Module)] {
        [("attention.self.query", attention.query), ("attention.self.key", attention.key), ("attention.self.value", attention.value),
         ("attention.output.dense", attention.output), ("attention.output.LayerNorm", attentionNorm),
         ("intermediate.dense", intermediate), ("output.dense", output), ("output.LayerNorm", outputNorm)]
    }

    /// The layer's output `(texts, tokens, hidden)` and its attention weights `(texts, heads, tokens, tokens)`.
    ///
    /// - Parameter keyPaddingMask: `bool` `(texts, tokens)`, true at padding.
    public func encode(_ input: Tensor, keyPaddingMask: Tensor? = nil) -> (output: Tensor, weights: Tensor) {
        let attended = attention.attend(query: input, key: input, value: input, keyPaddingMask: keyPaddingMask)
        let afterAttention = attentionNorm(input + attended.output)
        let feedForward = output(intermediate(afterAttention).gelu())
        return (outputNorm(afterAttention + feedForward), attended.weights)
    }
}
