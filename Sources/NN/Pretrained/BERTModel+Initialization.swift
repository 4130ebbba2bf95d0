import TensorCore

extension BERTModel {
    /// A BERT model of the given sizes with random weights, as Hugging Face's `BertModel` starts
    /// before training (`_init_weights`): every weight matrix and embedding table normal with
    /// standard deviation `initializerRange`, biases zero, LayerNorm scales one and shifts zero.
    /// Frozen and in evaluation mode, like a loaded model; for a model trained from scratch, or a
    /// tiny one to test with.
    ///
    /// - Parameters:
    ///   - configuration: the sizes (``BERTConfiguration``).
    ///   - pooler: whether to add the pooler (`pooler.dense`).
    ///   - initializerRange: the standard deviation of the weights (`initializer_range`, 0.02).
    ///   - dtype: `float64` (the default) or `float32`.
    ///   - random: the generator the weights are drawn from, in the order of ``Module/parameters``.
    public convenience init(configuration: BERTConfiguration, pooler: Bool = false, initializerRange: Double = 0.02,
                            dtype: DType = .float64, random: inout RandomState) {
        let c = configuration
        func normal(_ shape: [Int]) -> Tensor {
            (random.randn(shape: shape) * initializerRange).cast(to: dtype)
        }
        func linear(_ inputs: Int, _ outputs: Int) -> Linear {
            Linear(weight: normal([inputs, outputs]), bias: Tensor.zeros([outputs], dtype: dtype))
        }
        func norm() -> LayerNorm {
            LayerNorm(scale: Tensor.ones([c.hiddenSize], dtype: dtype), shift: Tensor.zeros([c.hiddenSize], dtype: dtype),
                      epsilon: c.layerNormEpsilon)
        }
        let embeddings = BERTEmbeddings(
            words: Embedding(table: normal([c.vocabularySize, c.hiddenSize])),
            positions: Embedding(table: normal([c.maxPositions, c.hiddenSize])),
            tokenTypes: Embedding(table: normal([c.tokenTypeCount, c.hiddenSize])),
            norm: norm(), dropout: c.hiddenDropout, dropoutSeed: BERTDropoutSeeds.embeddings)
        let layers = (0..<c.layerCount).map { index in
            let attention = MultiHeadAttention(
                query: linear(c.hiddenSize, c.hiddenSize), key: linear(c.hiddenSize, c.hiddenSize),
                value: linear(c.hiddenSize, c.hiddenSize), output: linear(c.hiddenSize, c.hiddenSize),
                headCount: c.headCount, weightsDropout: c.attentionDropout, dropoutSeed: BERTDropoutSeeds.attention(layer: index))
            return BERTLayer(attention: attention, attentionNorm: norm(),
                             intermediate: linear(c.hiddenSize, c.intermediateSize),
                             output: linear(c.intermediateSize, c.hiddenSize), outputNorm: norm(),
                             hiddenDropout: c.hiddenDropout, dropoutSeed: BERTDropoutSeeds.residual(layer: index))
        }
        self.init(configuration: configuration, embeddings: embeddings, layers: layers,
                  pooler: pooler ? linear(c.hiddenSize, c.hiddenSize) : nil)
    }
}
