import Foundation
import Testing
@testable import TensorCore

/// Draws from NumPy's legacy RandomState, written by `Fixtures/make_random_fixtures.py`.
struct RandomFixtures: Decodable {
    struct Interleaved: Decodable {
        var randn3: [Double]
        var rand2: [Double]
        var randn2: [Double]
    }

    struct LessonAttention: Decodable {
        var X: [Double]
        var W_V: [Double]
        var weights: [Double]
    }

    var raw_seed42: [UInt32]
    var rand_seed42: [Double]
    var randn_seed0: [Double]
    var interleaved_seed123: Interleaved
    var randint_seed1: [Int]
    var randint_seed7: [Int]
    var permutation_seed3: [Int]
    var shuffle_seed5: [Int]
    var lesson_attention: LessonAttention

    static func load() throws -> RandomFixtures {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/random.json")
        return try JSONDecoder().decode(RandomFixtures.self, from: Data(contentsOf: url))
    }
}

@Suite struct RandomStateTests {
    let fixtures: RandomFixtures

    init() throws {
        fixtures = try RandomFixtures.load()
    }

    /// 1300 draws cross two regenerations of the 624-word state.
    @Test func rawOutputsMatchNumPy() {
        var rng = RandomState(seed: 42)
        #expect((0..<1300).map { _ in rng.nextUInt32() } == fixtures.raw_seed42)
    }

    @Test func uniformAndGaussianDrawsMatchNumPyExactly() {
        var rng = RandomState(seed: 42)
        #expect(rng.rand(5).scalars == fixtures.rand_seed42)
        var zero = RandomState(seed: 0)
        let normal = zero.randn(3, 5)
        #expect(normal.shape == [3, 5])
        #expect(normal.scalars == fixtures.randn_seed0)
    }

    /// The polar method keeps its second Gaussian across calls to other distributions, as NumPy does.
    @Test func cachedGaussianSurvivesOtherDraws() {
        var rng = RandomState(seed: 123)
        #expect(rng.randn(3).scalars == fixtures.interleaved_seed123.randn3)
        #expect(rng.rand(2).scalars == fixtures.interleaved_seed123.rand2)
        #expect(rng.randn(2).scalars == fixtures.interleaved_seed123.randn2)
    }

    @Test func integersPermutationsAndShufflesMatchNumPy() {
        var one = RandomState(seed: 1)
        #expect(one.randint(0, 10, count: 20) == fixtures.randint_seed1)
        var seven = RandomState(seed: 7)
        #expect(seven.randint(-5, 1000, count: 10) == fixtures.randint_seed7)
        var three = RandomState(seed: 3)
        #expect(three.permutation(10) == fixtures.permutation_seed3)
        var five = RandomState(seed: 5)
        var values = Array(0..<7)
        five.shuffle(&values)
        #expect(values == fixtures.shuffle_seed5)
    }

    /// `rand` fills whole arrays a block at a time; it must give exactly the numbers of drawing
    /// one by one, also when the state is regenerated between the two words of a double (after
    /// an odd number of raw draws) and across several regenerations and blocks.
    @Test func bulkUniformDrawsEqualOneByOneDraws() {
        for (skipped, count) in [(0, 1), (1, 311), (0, 625), (623, 2), (1, 5000)] {
            var bulk = RandomState(seed: 9), single = RandomState(seed: 9)
            for _ in 0..<skipped {
                _ = bulk.nextUInt32()
                _ = single.nextUInt32()
            }
            let expected = (0..<count).map { _ in single.nextDouble() }
            #expect(bulk.rand(count).scalars == expected, "after \(skipped) raw draws, \(count) doubles")
            #expect(bulk.nextUInt32() == single.nextUInt32(), "the state afterwards")
        }
    }

    /// Lesson 1's seven-token example: the same draws, and attention weights equal to NumPy's
    /// up to rounding in the matrix products.
    @Test func lessonOneSevenTokenExample() {
        Random.seed(42)
        let X = Random.randn(7, 16) * 0.5
        let W_Q = Random.randn(16, 16) * (1.0 / 16).squareRoot()
        let W_K = Random.randn(16, 16) * (1.0 / 16).squareRoot()
        let W_V = Random.randn(16, 16) * (1.0 / 16).squareRoot()
        #expect(X.scalars == fixtures.lesson_attention.X)
        #expect(W_V.scalars == fixtures.lesson_attention.W_V)
        let Q = X.matmul(W_Q)
        let K = X.matmul(W_K)
        let weights = (Q.matmul(K.T) / 4.0).softmax(axis: -1)
        for (value, reference) in zip(weights.scalars, fixtures.lesson_attention.weights) {
            #expect(abs(value - reference) <= 1e-12)
        }
    }
}
