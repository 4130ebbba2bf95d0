import Foundation   // exp
import TensorCore

/// How a language model's next token is chosen from its logits.
///
/// The rules are Hugging Face `generate`'s, applied in its order: the logits are divided by the
/// temperature, then only the `topK` largest are kept, then only the smallest set of most probable
/// tokens whose probability reaches `topP`; the next token is drawn from the softmax of what is
/// left.
///
/// | Hugging Face `generate(…)` | Cuaderno |
/// |---|---|
/// | `do_sample=False` | `.greedy` |
/// | `do_sample=True, temperature=0.7` | `.sample(temperature: 0.7)` |
/// | `do_sample=True, top_k=50` | `.sample(topK: 50)` |
/// | `do_sample=True, top_p=0.9` | `.sample(topP: 0.9)` |
public enum Decoding: Sendable, Equatable {
    /// Always the token with the largest logit (the first of equal ones): deterministic, and
    /// prone to repeating itself.
    case greedy
    /// A draw from the filtered distribution.
    ///
    /// - temperature: above 0; below 1 sharpens the distribution towards the likeliest tokens,
    ///   above 1 flattens it.
    /// - topK: keep only the `k` largest logits (all of those equal to the `k`-th), at least 1.
    /// - topP: nucleus sampling, in (0, 1]: keep the smallest set of most probable tokens whose
    ///   probabilities add up to at least `p`.
    case sample(temperature: Double = 1, topK: Int? = nil, topP: Double? = nil)
}

/// Chooses next tokens by a ``Decoding`` rule, drawing from its own seeded generator so that the
/// same seed gives the same text (a rendered page stays the same bytes).
///
/// ```swift
/// var sampler = TokenSampler(.sample(temperature: 0.8, topP: 0.95), seed: 0)
/// let next = sampler.next(logits: model.logits(ids)[ids.count - 1])
/// ```
///
/// Draws follow NumPy's legacy `RandomState(seed).choice(n, p=probabilities)`: one uniform
/// number per token, looked up in the cumulative distribution.
public struct TokenSampler: Sendable {
    /// The rule this sampler follows.
    public let decoding: Decoding
    private var random: RandomState

    /// A sampler following `decoding`, drawing from `RandomState(seed:)`.
    ///
    /// - Precondition: the temperature is above 0, `topK` at least 1, `topP` in (0, 1].
    public init(_ decoding: Decoding, seed: UInt32 = 0, file: StaticString = #filePath, line: UInt = #line) {
        Self.validate(decoding, file: file, line: line)
        self.decoding = decoding
        random = RandomState(seed: seed)
    }

    /// The next token for `logits`, one score per token of the vocabulary (a tensor of one axis).
    public mutating func next(logits: Tensor, file: StaticString = #filePath, line: UInt = #line) -> Int {
        let scores = Self.scores(logits, file: file, line: line)
        guard case .sample = decoding else { return Self.argmax(scores) }
        let probabilities = Self.probabilities(of: scores, decoding)
        let u = random.nextDouble()
        var cumulative: [Double] = []
        cumulative.reserveCapacity(probabilities.count)
        var total = 0.0
        for p in probabilities {
            total += p
            cumulative.append(total)
        }
        // searchsorted(cdf / cdf[-1], u, side="right"): the first index whose cumulative share exceeds u.
        var low = 0, high = cumulative.count
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] / total <= u { low = middle + 1 } else { high = middle }
        }
        return min(low, probabilities.count - 1)
    }

    /// The distribution `decoding` draws from for `logits`: the softmax of the logits left after
    /// the temperature, top-k and top-p, zero for every token they removed. For `.greedy`, all of
    /// the probability is on the largest logit.
    public static func distribution(logits: Tensor, _ decoding: Decoding,
                                    file: StaticString = #filePath, line: UInt = #line) -> [Double] {
        validate(decoding, file: file, line: line)
        let scores = scores(logits, file: file, line: line)
        guard case .sample = decoding else {
            var oneHot = [Double](repeating: 0, count: scores.count)
            oneHot[argmax(scores)] = 1
            return oneHot
        }
        return probabilities(of: scores, decoding)
    }

    // MARK: - The rules

    private static func probabilities(of scores: [Double], _ decoding: Decoding) -> [Double] {
        guard case .sample(let temperature, let topK, let topP) = decoding else { return [] }
        var kept = scores.map { $0 / temperature }
        if let topK, topK < kept.count {
            let threshold = kept.sorted(by: >)[topK - 1]
            kept = kept.map { $0 < threshold ? -.infinity : $0 }
        }
        if let topP {
            // Ascending order (stable), cumulative probability; remove what stays at or below 1 − p,
            // always keeping the most probable token.
            let order = kept.indices.sorted { kept[$0] < kept[$1] || (kept[$0] == kept[$1] && $0 < $1) }
            let sortedProbabilities = softmax(order.map { kept[$0] })
            var cumulative = 0.0
            for (rank, index) in order.enumerated() where rank < order.count - 1 {
                cumulative += sortedProbabilities[rank]
                if cumulative <= 1 - topP { kept[index] = -.infinity }
            }
        }
        return softmax(kept)
    }

    /// The softmax of `x`, where −∞ entries get probability 0.
    private static func softmax(_ x: [Double]) -> [Double] {
        let largest = x.max() ?? 0
        let exponentials = x.map { $0 == -.infinity ? 0 : exp($0 - largest) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
    }

    private static func argmax(_ scores: [Double]) -> Int {
        var best = 0
        for index in scores.indices where scores[index] > scores[best] { best = index }
        return best
    }

    private static func scores(_ logits: Tensor, file: StaticString, line: UInt) -> [Double] {
        guard logits.rank == 1, logits.count > 0 else {
            tensorFailure("TokenSampler: expects the logits of one position, a tensor of shape (vocabulary,), got \(logits.shapeDescription); for a batch, pick a row first",
                          file: file, line: line)
        }
        let scores = logits.scalars
        if let bad = scores.firstIndex(where: { $0.isNaN || $0 == .infinity }) {
            tensorFailure("TokenSampler: logit \(bad) is \(scores[bad]); the model's output must be finite (or −∞ for a forbidden token)",
                          file: file, line: line)
        }
        guard scores.contains(where: { $0 > -.infinity }) else {
            tensorFailure("TokenSampler: every logit is −∞, so no token can be chosen", file: file, line: line)
        }
        return scores
    }

    private static func validate(_ decoding: Decoding, file: StaticString, line: UInt) {
        guard case .sample(let temperature, let topK, let topP) = decoding else { return }
        guard temperature > 0, temperature.isFinite else {
            tensorFailure("TokenSampler: the temperature must be above 0, got \(temperature); for the likeliest token every time, use .greedy",
                          file: file, line: line)
        }
        if let topK, topK < 1 {
            tensorFailure("TokenSampler: topK must be at least 1, got \(topK)", file: file, line: line)
        }
        if let topP, !(topP > 0 && topP <= 1) {
            tensorFailure("TokenSampler: topP must be above 0 and at most 1, got \(topP)", file: file, line: line)
        }
    }
}
