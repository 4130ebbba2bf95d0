import Foundation
import NN
import TensorCore
import Testing

/// `TokenSampler` against `Fixtures/sampling/references.json`: Hugging Face's temperature, top-k
/// and top-p rules written in NumPy, and draws made as NumPy's `RandomState(seed).choice` makes them.
@Suite struct TokenSamplerTests {
    @Test(arguments: SamplingFixtures.references.cases.indices)
    func theDistributionKeepsWhatHuggingFaceKeeps(index: Int) {
        let reference = SamplingFixtures.references.cases[index]
        let distribution = TokenSampler.distribution(logits: Tensor(reference.logits), reference.decoding)
        #expect(distribution.map { $0 > 0 } == reference.kept, "case \(index): \(reference.decoding)")
        for (ours, theirs) in zip(distribution, reference.probabilities) {
            #expect(abs(ours - theirs) <= 1e-15 + 1e-12 * theirs, "case \(index): \(ours) against \(theirs)")
        }
    }

    @Test(arguments: SamplingFixtures.references.cases.indices)
    func theDrawsAreNumPysChoice(index: Int) {
        let reference = SamplingFixtures.references.cases[index]
        var sampler = TokenSampler(reference.decoding, seed: reference.seed)
        let draws = (0..<reference.draws.count).map { _ in sampler.next(logits: Tensor(reference.logits)) }
        #expect(draws == reference.draws, "case \(index): \(reference.decoding)")
    }

    @Test func greedyTakesTheFirstLargestLogit() {
        var sampler = TokenSampler(.greedy)
        #expect(sampler.next(logits: Tensor([0.5, 2, -1, 2])) == 1)
        #expect(TokenSampler.distribution(logits: Tensor([0.5, 2, -1, 2]), .greedy) == [0, 1, 0, 0])
    }

    @Test func topPKeepsTheSmallestSetReachingP() {
        // Probabilities 0.5, 0.3, 0.2 (logits are their logarithms): p = 0.8 needs the first two,
        // p = 0.81 all three, p = 0.5 the first alone.
        let logits = Tensor([0.5, 0.3, 0.2].map { log($0) })
        func kept(_ p: Double) -> [Bool] { TokenSampler.distribution(logits: logits, .sample(topP: p)).map { $0 > 0 } }
        #expect(kept(0.5) == [true, false, false])
        #expect(kept(0.81) == [true, true, true])
        #expect(kept(0.79) == [true, true, false])
    }

    @Test func aForbiddenTokenIsNeverDrawn() {
        var sampler = TokenSampler(.sample(temperature: 5), seed: 3)
        let logits = Tensor([1, -Double.infinity, 1])
        #expect((0..<200).allSatisfy { _ in sampler.next(logits: logits) != 1 })
    }

    @Test func theSameSeedGivesTheSameTokens() {
        let logits = Tensor((0..<50).map { sin(Double($0)) })
        var first = TokenSampler(.sample(temperature: 1.2, topK: 20), seed: 9)
        var second = TokenSampler(.sample(temperature: 1.2, topK: 20), seed: 9)
        let a = (0..<30).map { _ in first.next(logits: logits) }
        let b = (0..<30).map { _ in second.next(logits: logits) }
        #expect(a == b)
        #expect(Set(a).count > 1)
    }
}

enum SamplingFixtures {
    static let references = decodeFixture(References.self, "sampling/references.json")

    struct References: Decodable {
        let cases: [Case]
    }

    /// One case of the fixture; the names are the JSON's (see `make_references.py`).
    struct Case: Decodable {
        let logits: [Double]
        let temperature: Double
        let top_k: Int?
        let top_p: Double?
        let kept: [Bool]
        let probabilities: [Double]
        let seed: UInt32
        let draws: [Int]

        var decoding: Decoding { .sample(temperature: temperature, topK: top_k, topP: top_p) }
    }
}
