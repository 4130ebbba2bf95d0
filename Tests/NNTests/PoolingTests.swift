import Testing
@testable import NN
import TensorCore

/// A module without parameters, so that the finite-difference helper checks only the input's gradient.
private final class NoParameters: Module {}

@Suite struct PoolingTests {
    /// Two sequences of three 2-D vectors; the first has one padded position, holding NaN and
    /// infinity, which must not reach the mean.
    static let hidden = Tensor([[[1.0, 2.0], [3.0, 4.0], [.nan, .infinity]],
                                [[5.0, 6.0], [7.0, 8.0], [9.0, 10.0]]])
    static let padding = Tensor([false, false, true, false, false, false]).reshaped(2, 3)

    @Test func theMeanIsOverRealPositionsOnly() {
        let pooled = maskedMeanPooling(Self.hidden, paddingMask: Self.padding)
        #expect(pooled.shape == [2, 2])
        // Row 0: (1 + 3) / 2, (2 + 4) / 2; row 1: (5 + 7 + 9) / 3, (6 + 8 + 10) / 3.
        #expect(pooled.scalars == [2, 3, 7, 8])
    }

    @Test func theGradientIsSharedByRealPositionsAndZeroAtPadding() {
        let hidden = Self.hidden.requiringGradient()
        let weights = Tensor([[1.0, 2.0], [3.0, 4.0]])
        (maskedMeanPooling(hidden, paddingMask: Self.padding) * weights).sumAll().backward()
        // ∂/∂hidden[b, t] = weights[b] / (real positions of b) at real positions, 0 at padding.
        expectClose(hidden.gradient, [0.5, 1, 0.5, 1, 0, 0,
                                      1, 4.0 / 3, 1, 4.0 / 3, 1, 4.0 / 3])
    }

    @Test func gradientsMatchFiniteDifferences() {
        var random = RandomState(seed: 3)
        let hidden = random.randn(3, 4, 5)
        let padding = Tensor([false, false, true, true, false, false, false, false, false, true, true, true])
            .reshaped(3, 4)
        expectLayerGradientsMatchFiniteDifferences(NoParameters(), input: hidden) {
            maskedMeanPooling($0, paddingMask: padding)
        }
        expectLayerGradientsMatchFiniteDifferences(NoParameters(), input: hidden) {
            firstTokenPooling($0, paddingMask: padding)
        }
    }

    @Test func matchesNumPy() {
        let reference = TrainingReferences.shared.pooling
        let hidden = Tensor(reference.hidden)
        let padding = Tensor(reference.padding_mask.flatMap { $0 }).reshaped(hidden.shape[0], hidden.shape[1])
        expectClose(maskedMeanPooling(hidden, paddingMask: padding), reference.pooled.flatMap { $0 })
    }

    @Test func anUnbatchedSequenceGivesOneVector() {
        let pooled = maskedMeanPooling(Self.hidden[0], paddingMask: Self.padding[0])
        #expect(pooled.shape == [2])
        #expect(pooled.scalars == [2, 3])
        #expect(firstTokenPooling(Self.hidden[1]).scalars == [5, 6])
    }

    @Test func float32StaysFloat32() {
        let pooled = maskedMeanPooling(Self.hidden.cast(to: .float32), paddingMask: Self.padding)
        #expect(pooled.dtype == .float32)
        #expect(pooled.scalars == [2, 3, 7, 8])
    }

    @Test func theFirstTokenIsTheFirstPosition() {
        let hidden = Self.hidden.requiringGradient()
        let pooled = firstTokenPooling(hidden, paddingMask: Self.padding)
        #expect(pooled.shape == [2, 2])
        #expect(pooled.scalars == [1, 2, 5, 6])
        pooled.sumAll().backward()
        #expect(hidden.gradient?.scalars == [1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0])
    }

    @Test func aRowOfPaddingOnlyStopsWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let padding = Tensor([false, true, true, true, true, true]).reshaped(2, 3)
            _ = maskedMeanPooling(Tensor.zeros([2, 3, 4]), paddingMask: padding)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("PoolingTests.swift"))
        #expect(message.contains("maskedMeanPooling: row 1 of the batch is all padding"))
    }

    @Test func aMaskOfOnesAndZerosStopsWithAHint() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = maskedMeanPooling(Tensor.zeros([2, 3, 4]), paddingMask: Tensor.ones([2, 3]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("the padding mask must be bool (true at padding), got float64"))
        #expect(message.contains("attentionMask .== 0"))
    }

    @Test func aMaskOfAnotherShapeStopsWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = maskedMeanPooling(Tensor.zeros([2, 3, 4]), paddingMask: Tensor([false, true, false]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("token vectors of shape (2, 3, 4) need a padding mask of shape (2, 3), got (3,)"))
    }

    @Test func leftPaddingStopsFirstTokenPooling() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let padding = Tensor([false, false, false, true, false, false]).reshaped(2, 3)
            _ = firstTokenPooling(Tensor.zeros([2, 3, 4]), paddingMask: padding)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("firstTokenPooling: row 1 of the batch starts with padding"))
    }
}
