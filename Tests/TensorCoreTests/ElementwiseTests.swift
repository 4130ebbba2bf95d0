import Testing
@testable import TensorCore

/// Expected values come from NumPy 2.x (`np.tanh(x).tolist()` and so on), printed with full precision.
@Suite struct ElementwiseTests {
    let x = Tensor([[1.0, 2.0, 4.0], [-1.0, 0.5, 3.0]])

    func expectClose(_ actual: Tensor, _ expected: [Double], tolerance: Double = 1e-15,
                     sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (value, reference) in zip(actual.scalars, expected) {
            #expect(Swift.abs(value - reference) <= tolerance * Swift.max(1, Swift.abs(reference)),
                    "\(value) vs \(reference)", sourceLocation: sourceLocation)
        }
    }

    @Test func unaryFunctionsMatchNumPy() {
        expectClose(x.tanh(), [0.7615941559557649, 0.9640275800758169, 0.999329299739067,
                               -0.7615941559557649, 0.46211715726000974, 0.9950547536867305])
        expectClose(x.sigmoid(), [0.7310585786300049, 0.8807970779778823, 0.9820137900379085,
                                  0.2689414213699951, 0.6224593312018546, 0.9525741268224334])
        #expect(x.relu().scalars == [1, 2, 4, 0, 0.5, 3])
        #expect(x.abs().scalars == [1, 2, 4, 1, 0.5, 3])
        #expect(x.pow(2).scalars == [1, 4, 16, 1, 0.25, 9])
        #expect(x.clip(0, 2).scalars == [1, 2, 2, 0, 0.5, 2])
        #expect(Tensor([0.0]).sin().scalars == [0])
        #expect(Tensor([0.0]).cos().scalars == [1])
    }

    /// Known values: erf(1) = 0.8427007929497149 and Φ(1) = 0.8413447460685429, the standard
    /// normal distribution function, so gelu(1) = 1 · Φ(1); gelu(−x) = gelu(x) − x.
    @Test func erfAndExactGELU() {
        let x = Tensor([-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 3.0])
        expectClose(x.erf(), [-0.9999779095030014, -0.8427007929497149, -0.5204998778130465, 0,
                              0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9999779095030014])
        expectClose(x.gelu(), [-0.00404969409489031, -0.15865525393145707, -0.15426876936299344, 0,
                               0.34573123063700656, 0.8413447460685429, 1.9544997361036416, 2.99595030590511])
        // float32 keeps float32, to its own precision.
        let single = Tensor([1.0, -1.0], dtype: .float32).gelu()
        #expect(single.dtype == .float32)
        expectClose(single, [0.8413447460685429, -0.15865525393145707], tolerance: 1e-7)
        // Far out it is the identity or zero, with no NaN.
        #expect(Tensor([-40.0, 40.0]).gelu().scalars == [-0.0, 40])
        // Not the tanh approximation: at x = 1 that gives 0.8411919906082768.
        #expect(Swift.abs(Tensor([1.0]).gelu().item() - 0.8411919906082768) > 1e-4)
    }

    /// The stable sigmoid neither overflows nor returns NaN at the extremes.
    @Test func sigmoidIsStableForLargeInputs() {
        #expect(Tensor([-1000.0, 1000.0]).sigmoid().scalars == [0, 1])
        #expect(Tensor([-1000.0], dtype: .float32).sigmoid().scalars == [0])
    }

    @Test func reductionsMatchNumPy() {
        #expect(x.min(axis: 1).scalars == [1, -1])
        #expect(x.mean(axis: 0).scalars == [0, 1.25, 3.5])
        let meanOfAll: Double = 9.5 / 6
        #expect(x.mean() == meanOfAll)
        expectClose(x.variance(axis: 1), [1.5555555555555554, 2.722222222222222])
        #expect(x.std(axis: 0).scalars == [1, 0.75, 0.5])
        expectClose(x.logSoftmax(axis: 1), [-3.1698460195562856, -2.1698460195562856, -0.16984601955628567,
                                           -4.095674329414383, -2.5956743294143823, -0.09567432941438228])
        // logSoftmax stays finite where softmax underflows to 0.
        #expect(Tensor([0.0, -1000.0]).logSoftmax().scalars == [0, -1000])
    }

    @Test func rangesMatchNumPy() {
        #expect(Tensor.linspace(0, 1, count: 7).scalars
            == [0.0, 0.16666666666666666, 0.3333333333333333, 0.5, 0.6666666666666666, 0.8333333333333333, 1.0])
        #expect(Tensor.arange(0.5, 3.2, step: 0.7).scalars == [0.5, 1.2, 1.9, 2.5999999999999996])
        #expect(Tensor.arange(4).scalars == [0, 1, 2, 3])
        #expect(Tensor.arange(3, 0, step: -1).scalars == [3, 2, 1])
        #expect(Tensor.arange(2, 1).count == 0)
    }

    @Test func trianglesAndTheCausalMask() {
        let ones = Tensor.full([3, 3], value: 1)
        #expect(ones.tril().scalars == [1, 0, 0, 1, 1, 0, 1, 1, 1])
        #expect(ones.triu(1).scalars == [0, 1, 1, 0, 0, 1, 0, 0, 0])
        #expect(ones.tril(-1).scalars == [0, 0, 0, 1, 0, 0, 1, 1, 0])
        let mask = Tensor.causalMask(2)
        #expect(mask.scalars == [0, -.infinity, 0, 0])
        // NumPy: print(np.array([[0, -np.inf], [0, 0]]))
        #expect(mask.description == "[[  0. -inf]\n [  0.   0.]]")
        // Masked scores give weights of exactly zero above the diagonal, and rows still sum to 1.
        let weights = (Tensor.full([3, 3], value: 0.5) + Tensor.causalMask(3)).softmax(axis: -1)
        let third: Double = 1.0 / 3.0
        let expected: [Double] = [1, 0, 0, 0.5, 0.5, 0, third, third, third]
        #expect(weights.scalars == expected)
    }
}
