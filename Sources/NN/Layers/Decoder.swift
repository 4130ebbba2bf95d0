import TensorCore

/// One decoder block of the Transformer (PyTorch's `nn.TransformerDecoderLayer`, ReLU): masked
/// self-attention over the target so far, cross-attention from the target to the encoder's output
/// (the *memory*), and the position-wise feed-forward network. By default each sub-layer's output
/// is added to its input and then normalised ("post-LN", Vaswani et al. 2017, PyTorch's default):
///
/// ```
/// y = LayerNorm₁(y + Dropout(SelfAttention(y, causal)))
/// y = LayerNorm₂(y + Dropout(CrossAttention(query: y, key and value: memory)))
/// y = LayerNorm₃(y + Dropout(W₂·Dropout(ReLU(W₁·y))))
/// ```
///
/// With `normFirst` the normalisation comes before each sub-layer, on its branch only (PyTorch's
/// `norm_first=True`). A decoder-only model (GPT) is this block without the cross-attention:
/// ``TransformerEncoderLayer`` with `causal: true`.
///
/// - Shapes: target `(t, d)` or `(b, t, d)`; memory `(s, d)` or `(b, s, d)`; output like the target.
public final class TransformerDecoderLayer: Module {
    /// Masked self-attention over the target (PyTorch's `self_attn`).
    public let selfAttention: MultiHeadAttention
    /// Attention from the target's positions to the memory's (PyTorch's `multihead_attn`).
    public let crossAttention: MultiHeadAttention
    /// The feed-forward network's first layer, `d → feedForwardDimension` (PyTorch's `linear1`).
    public let expand: Linear
    /// The feed-forward network's last layer, `feedForwardDimension → d` (PyTorch's `linear2`).
    public let contract: Linear
    /// The position-wise feed-forward network: `expand`, ReLU, dropout, `contract`.
    public let feedForward: Sequential
    /// The normalisations after (or, with `normFirst`, before) the three sub-layers: PyTorch's
    /// `norm1`, `norm2`, `norm3`.
    public let firstNorm: LayerNorm, secondNorm: LayerNorm, thirdNorm: LayerNorm
    /// The dropouts on the three sub-layers' outputs: PyTorch's `dropout1`, `dropout2`, `dropout3`.
    public let selfAttentionDropout: Dropout, crossAttentionDropout: Dropout, feedForwardDropout: Dropout
    /// Whether each sub-layer normalises its input (pre-LN) rather than the residual sum (post-LN).
    public let normFirst: Bool

    /// A block with PyTorch's initialisation.
    ///
    /// - Parameters:
    ///   - modelDimension: `d`, the width of the target's and the memory's vectors.
    ///   - headCount: the heads of both attentions, which must divide `d`.
    ///   - feedForwardDimension: the width of the feed-forward network's hidden layer (often 4·d).
    ///   - dropout: the probability of each of the four dropouts (0 turns them off).
    ///   - normFirst: pre-LN instead of post-LN (see above).
    ///   - dropoutSeed: the seed of the dropouts' own generators.
    public init(modelDimension: Int, headCount: Int, feedForwardDimension: Int, dropout: Double = 0.1,
                normFirst: Bool = false, random: inout RandomState, dropoutSeed: UInt32 = 0) {
        self.normFirst = normFirst
        selfAttention = MultiHeadAttention(modelDimension: modelDimension, headCount: headCount, random: &random)
        crossAttention = MultiHeadAttention(modelDimension: modelDimension, headCount: headCount, random: &random)
        expand = Linear(modelDimension, feedForwardDimension, random: &random)
        contract = Linear(feedForwardDimension, modelDimension, random: &random)
        feedForward = Sequential(expand, ReLU(), Dropout(dropout, seed: dropoutSeed &+ 3), contract)
        firstNorm = LayerNorm(modelDimension)
        secondNorm = LayerNorm(modelDimension)
        thirdNorm = LayerNorm(modelDimension)
        selfAttentionDropout = Dropout(dropout, seed: dropoutSeed)
        crossAttentionDropout = Dropout(dropout, seed: dropoutSeed &+ 1)
        feedForwardDropout = Dropout(dropout, seed: dropoutSeed &+ 2)
    }

    public var children: [(name: String, module: any Module)] {
        [("selfAttention", selfAttention), ("crossAttention", crossAttention), ("feedForward", feedForward),
         ("firstNorm", firstNorm), ("secondNorm", secondNorm), ("thirdNorm", thirdNorm),
         ("selfAttentionDropout", selfAttentionDropout), ("crossAttentionDropout", crossAttentionDropout),
         ("feedForwardDropout", feedForwardDropout)]
    }

    /// The block's output for `target`, attending causally to itself and fully to `memory`.
    public func callAsFunction(_ target: Tensor, memory: Tensor) -> Tensor {
        decode(target, memory: memory).output
    }

    /// The block's output and both attentions' weights.
    ///
    /// - Parameters:
    ///   - target: the target sequence so far, `(t, d)` or `(b, t, d)`.
    ///   - memory: the encoder's output, `(s, d)` or `(b, s, d)`.
    ///   - causal: each target position sees only itself and the positions before it (PyTorch's
    ///     `tgt_mask=generate_square_subsequent_mask(t)`, `tgt_is_causal=True`). On by default:
    ///     a decoder that sees the future learns to copy it.
    ///   - targetPaddingMask: `bool` `(t,)` or `(b, t)`, true at the target's padding (`tgt_key_padding_mask`).
    ///   - memoryPaddingMask: `bool` `(s,)` or `(b, s)`, true at the memory's padding (`memory_key_padding_mask`).
    /// - Returns: the output, like `target`; the self-attention's weights `(h, t, t)` or
    ///   `(b, h, t, t)`; the cross-attention's `(h, t, s)` or `(b, h, t, s)`.
    public func decode(_ target: Tensor, memory: Tensor, causal: Bool = true, targetPaddingMask: Tensor? = nil,
                       memoryPaddingMask: Tensor? = nil, file: StaticString = #filePath, line: UInt = #line)
        -> (output: Tensor, selfWeights: Tensor, crossWeights: Tensor) {
        func attendToItself(_ y: Tensor) -> (output: Tensor, weights: Tensor) {
            selfAttention.attend(query: y, key: y, value: y, keyPaddingMask: targetPaddingMask, causal: causal,
                                 file: file, line: line)
        }
        func attendToMemory(_ y: Tensor) -> (output: Tensor, weights: Tensor) {
            crossAttention.attend(query: y, key: memory, value: memory, keyPaddingMask: memoryPaddingMask,
                                  file: file, line: line)
        }
        if normFirst {
            let attended = attendToItself(firstNorm(target))
            let afterSelf = target + selfAttentionDropout(attended.output)
            let crossed = attendToMemory(secondNorm(afterSelf))
            let afterCross = afterSelf + crossAttentionDropout(crossed.output)
            let output = afterCross + feedForwardDropout(feedForward(thirdNorm(afterCross)))
            return (output, attended.weights, crossed.weights)
        }
        let attended = attendToItself(target)
        let afterSelf = firstNorm(target + selfAttentionDropout(attended.output))
        let crossed = attendToMemory(afterSelf)
        let afterCross = secondNorm(afterSelf + crossAttentionDropout(crossed.output))
        let output = thirdNorm(afterCross + feedForwardDropout(feedForward(afterCross)))
        return (output, attended.weights, crossed.weights)
    }
}
