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
/// Loaded, the model is frozen and in evaluation mode, as `from_pretrained` gives it: its forward
/// pass records nothing for gradients (no parameter wants one) and runs no dropout. To train it,
/// make some parameters trainable — ``Module/unfreeze(matching:file:line:)`` by path, or LoRA
/// adapters with ``Module/applyLoRA(rank:alpha:targets:seed:file:line:)`` — and switch on dropout
/// with `setTraining(true)`; the forward pass then records what `backward()` needs, unless run
/// inside `Tensor.withoutGradients { … }` (PyTorch's `torch.no_grad()`).
///
/// ```
/// training mode:  h₀ = Dropout(h₀);  a = LayerNorm(h + Dropout(SelfAttention(h)))  (attention weights dropped too)
///                 h = LayerNorm(a + Dropout(W₂·gelu(W₁·a + b₁) + b₂))
/// ```
/// with the probabilities of the configuration (0.1 for all-MiniLM-L6-v2), each dropout with its
/// own seeded generator (``Module/seedDropout(_:)``).
public final class BERTModel: Module {
    public let configuration: BERTConfiguration
    /// The embeddings and the LayerNorm after them.
    public let embeddings: BERTEmbeddings
    /// The encoder layers, in order: `layers[i]` reads `hiddenStates[i]` and writes `hiddenStates[i + 1]`.
    public let layers: [BERTLayer]
    /// BERT's pooler, `tanh(h[CLS]·W + b)`, trained for next-sentence prediction, when the
    /// checkpoint has one (``pooledOutput(_:)``). Sentence embeddings do not use it.
    public let pooler: Linear?

    /// A model made of the given parts, frozen and in evaluation mode.
    public init(configuration: BERTConfiguration, embeddings: BERTEmbeddings, layers: [BERTLayer], pooler: Linear? = nil) {
        self.configuration = configuration
        self.embeddings = embeddings
        self.layers = layers
        self.pooler = pooler
        freeze()
        setTraining(false)
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
        return pooler(first).tanh()
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

        // Frozen, nothing here records anything for gradients: no input of any operation wants one.
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
/// embeddings, then normalised (and, in training mode, dropped out).
///
/// ```
/// h₀[t] = Dropout(LayerNorm(word[ids[t]] + position[t] + tokenType[types[t]]))
/// ```
public final class BERTEmbeddings: Module {
    /// One row per token of the vocabulary, `(vocabulary, hidden)`.
    public let words: Embedding
    /// One row per position, `(maxPositions, hidden)`: BERT learns its positions.
    public let positions: Embedding
    /// One row per token type (segment), `(types, hidden)`.
    public let tokenTypes: Embedding
    public let norm: LayerNorm
    /// Dropout after the LayerNorm (`hidden_dropout_prob`), active in training mode only.
    public let dropout: Dropout

    /// - Parameters:
    ///   - dropout: the probability of the dropout after the LayerNorm (0 for none).
    ///   - dropoutSeed: the seed of its generator.
    public init(words: Embedding, positions: Embedding, tokenTypes: Embedding, norm: LayerNorm,
                dropout: Double = 0, dropoutSeed: UInt32 = 0) {
        self.words = words
        self.positions = positions
        self.tokenTypes = tokenTypes
        self.norm = norm
        self.dropout = Dropout(dropout, seed: dropoutSeed)
    }

    public var children: [(name: String, module: any Module)] {
        [("word_embeddings", words), ("position_embeddings", positions), ("token_type_embeddings", tokenTypes), ("LayerNorm", norm),
         ("dropout", dropout)]
    }

    /// The input vectors for `ids` `(texts, tokens)`: `(texts, tokens, hidden)`.
    public func callAsFunction(ids: Tensor, tokenTypes types: Tensor? = nil) -> Tensor {
        let tokenCount = ids.shape[ids.rank - 1]
        var sum = words(ids) + positions.table.value[0..<tokenCount]
        // Without types every token is of type 0: one row, added to all.
        sum = sum + (types.map { tokenTypes($0) } ?? tokenTypes.table.value[0])
        return dropout(norm(sum))
    }
}

/// One BERT encoder layer: multi-head self-attention, then a GELU feed-forward block, each added
/// to its input and normalised after (post-LN). In training mode, dropout on the attention
/// weights and on each sub-layer's output before the residual sum:
///
/// ```
/// a = LayerNorm(x + Dropout(SelfAttention(x)))
/// y = LayerNorm(a + Dropout(W₂·gelu(W₁·a + b₁) + b₂))
/// ```
///
/// Its projections — `attention.self.query`, `.key`, `.value`, `attention.output.dense`,
/// `intermediate.dense`, `output.dense` — can be replaced by other ``ProjectionLayer``s of the same
/// shape (LoRA adapters: ``Module/applyLoRA(rank:alpha:targets:seed:file:line:)``).
public final class BERTLayer: Module, ProjectionContainer {
    /// The query, key, value and output projections, `(hidden, hidden)` each, and the dropout
    /// on the attention weights.
    public let attention: MultiHeadAttention
    /// The LayerNorm after attention and its residual (`attention.output.LayerNorm`).
    public let attentionNorm: LayerNorm
    /// `W₁`, `(hidden, intermediate)` (`intermediate.dense`).
    public private(set) var intermediate: any ProjectionLayer
    /// `W₂`, `(intermediate, hidden)` (`output.dense`).
    public private(set) var output: any ProjectionLayer
    /// The LayerNorm after the feed-forward block and its residual (`output.LayerNorm`).
    public let outputNorm: LayerNorm
    /// Dropout on the attention's output before its residual sum (`attention.output.dropout`).
    public let attentionOutputDropout: Dropout
    /// Dropout on the feed-forward block's output before its residual sum (`output.dropout`).
    public let outputDropout: Dropout

    /// - Parameters:
    ///   - hiddenDropout: the probability of the two dropouts before the residual sums (0 for
    ///     none); the attention weights' dropout is the attention's own.
    ///   - dropoutSeed: the seed of the first of them; the second uses the next seed.
    public init(attention: MultiHeadAttention, attentionNorm: LayerNorm, intermediate: any ProjectionLayer,
                output: any ProjectionLayer, outputNorm: LayerNorm, hiddenDropout: Double = 0, dropoutSeed: UInt32 = 0) {
        self.attention = attention
        self.attentionNorm = attentionNorm
        self.intermediate = intermediate
        self.output = output
        self.outputNorm = outputNorm
        attentionOutputDropout = Dropout(hiddenDropout, seed: dropoutSeed)
        outputDropout = Dropout(hiddenDropout, seed: dropoutSeed &+ 1)
    }

    public var children: [(name: String, module: any Module)] {
        [("attention.self.query", attention.query), ("attention.self.key", attention.key), ("attention.self.value", attention.value)]
            + (attention.weightsDropout.map { [("attention.self.dropout", $0 as any Module)] } ?? [])
            + [("attention.output.dense", attention.output), ("attention.output.LayerNorm", attentionNorm),
               ("attention.output.dropout", attentionOutputDropout),
               ("intermediate.dense", intermediate), ("output.dense", output), ("output.LayerNorm", outputNorm),
               ("output.dropout", outputDropout)]
    }

    public var projections: [(name: String, layer: any ProjectionLayer)] {
        [("attention.self.query", attention.query), ("attention.self.key", attention.key), ("attention.self.value", attention.value),
         ("attention.output.dense", attention.output), ("intermediate.dense", intermediate), ("output.dense", output)]
    }

    public func replaceProjection(named name: String, with layer: any ProjectionLayer) {
        checkReplacement(named: name, with: layer, among: projections, in: "BERTLayer")
        switch name {
        case "attention.self.query": attention.replaceProjection(named: "query", with: layer)
        case "attention.self.key": attention.replaceProjection(named: "key", with: layer)
        case "attention.self.value": attention.replaceProjection(named: "value", with: layer)
        case "attention.output.dense": attention.replaceProjection(named: "output", with: layer)
        case "intermediate.dense": intermediate = layer
        default: output = layer
        }
    }

    /// The layer's output `(texts, tokens, hidden)` and its attention weights `(texts, heads, tokens, tokens)`.
    ///
    /// - Parameter keyPaddingMask: `bool` `(texts, tokens)`, true at padding.
    public func encode(_ input: Tensor, keyPaddingMask: Tensor? = nil) -> (output: Tensor, weights: Tensor) {
        let attended = attention.attend(query: input, key: input, value: input, keyPaddingMask: keyPaddingMask)
        let afterAttention = attentionNorm(input + attentionOutputDropout(attended.output))
        let feedForward = outputDropout(output(intermediate(afterAttention).gelu()))
        return (outputNorm(afterAttention + feedForward), attended.weights)
    }
}
