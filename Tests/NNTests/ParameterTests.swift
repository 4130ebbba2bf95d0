import Testing
@testable import NN
import TensorCore

@Suite struct ParameterTests {
    @Test func anUpdateKeepsTheAccumulatedGradient() {
        let weight = Parameter(Tensor([1.0, 2.0]))
        (weight.value * 3.0).sumAll().backward()
        weight.update(to: Tensor([4.0, 5.0]))
        #expect(weight.value.scalars == [4, 5])
        #expect(weight.gradient?.scalars == [3, 3])
        (weight.value * weight.value).sumAll().backward()
        #expect(weight.gradient?.scalars == [3 + 8, 3 + 10])
        weight.zeroGradient()
        #expect(weight.gradient == nil)
    }

    @Test func aFrozenParameterRecordsNothing() {
        let weight = Parameter(Tensor([1.0, 2.0]), frozen: true)
        #expect(!weight.value.requiresGradient)
        #expect(!(weight.value * 2.0).requiresGradient)
        weight.isFrozen = false
        (weight.value * 2.0).sumAll().backward()
        #expect(weight.gradient?.scalars == [2, 2])
        weight.isFrozen = true
        #expect(weight.gradient == nil)
    }

    @Test func aComputedValueIsCutFromItsGraph() {
        let weight = Parameter(Tensor([1.0, 2.0]))
        let other = Tensor([1.0, 1.0]).requiringGradient()
        weight.update(to: weight.value + other)
        (weight.value * 1.0).sumAll().backward()
        #expect(other.gradient == nil)
        #expect(weight.gradient?.scalars == [1, 1])
    }
}
