import TensorCore

/// Why a ``LlamaModel/Session/generate(after:maxNewTokens:sampler:stoppingAt:)`` ended.
public enum GenerationStop: Sendable, Equatable {
    /// The sampler chose this end-of-text or end-of-turn token (it is not among the generated ones).
    case endToken(Int)
    /// The budget of new tokens was spent before an end token came.
    case tokenBudget
}

/// The tokens a model wrote after a prompt, and why it stopped.
public struct Generation: Sendable, Equatable {
    /// The new tokens, in order, without the end token that stopped them.
    public let tokens: [Int]
    /// Why generation ended.
    public let stop: GenerationStop
}

extension LlamaModel.Session {
    /// Writes up to `maxNewTokens` tokens after `prompt`: feeds the prompt in one batch, then
    /// chooses each next token with `sampler` and feeds it back, one at a time through the KV cache,
    /// until the sampler chooses one of `endTokens` or the budget is spent.
    ///
    /// ```swift
    /// var sampler = TokenSampler(.sample(temperature: 0.7, topP: 0.9), seed: 1)
    /// let written = session.generate(after: tokenizer.encode("Once upon a time"), maxNewTokens: 40,
    ///                                sampler: &sampler, stoppingAt: tokenizer.endOfGenerationIDs)
    /// print(tokenizer.decode(written.tokens), written.stop)
    /// ```
    ///
    /// The session keeps going after what it has already been fed: `prompt` continues it (an empty
    /// session starts a new text). Afterwards it has been fed the prompt and every written token —
    /// not the end token — so a further `generate` or `feed` carries on from there.
    ///
    /// - Precondition: `prompt` is not empty; the prompt and the new tokens fit in `contextLength`.
    public func generate(after prompt: [Int], maxNewTokens: Int, sampler: inout TokenSampler,
                         stoppingAt endTokens: Set<Int> = [],
                         file: StaticString = #filePath, line: UInt = #line) -> Generation {
        guard maxNewTokens >= 0 else {
            tensorFailure("LlamaModel.Session.generate: maxNewTokens is \(maxNewTokens); ask for 0 or more tokens", file: file, line: line)
        }
        let limit = model.configuration.contextLength
        guard tokens.count + prompt.count + maxNewTokens <= limit else {
            tensorFailure("LlamaModel.Session.generate: \(tokens.count) tokens fed, \(prompt.count) in the prompt and \(maxNewTokens) to write make more than the model's context of \(limit); ask for fewer", file: file, line: line)
        }
        var logits = feed(prompt)
        var written: [Int] = []
        while written.count < maxNewTokens {
            let next = sampler.next(logits: logits, file: file, line: line)
            if endTokens.contains(next) { return Generation(tokens: written, stop: .endToken(next)) }
            written.append(next)
            logits = feed(next)
        }
        return Generation(tokens: written, stop: .tokenBudget)
    }
}
