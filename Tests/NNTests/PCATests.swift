import Foundation
import Testing
@testable import NN
import TensorCore

@Suite struct PCATests {
    static let closeness = Closeness(rtol: 1e-10, atol: 1e-10)

    @Test(arguments: TrainingReferences.shared.pca.map(\.name))
    func matchesScikitLearnsRuleInNumPy(name: String) throws {
        let reference = try #require(TrainingReferences.shared.pca.first { $0.name == name })
        let pca = PCA(fitting: Tensor(reference.data), componentCount: reference.component_count)
        expectClose(pca.mean, reference.mean, Self.closeness)
        expectClose(pca.components, reference.components.flatMap { $0 }, Self.closeness)
        expectClose(pca.singularValues, reference.singular_values, Self.closeness)
        expectClose(pca.explainedVariance, reference.explained_variance, Self.closeness)
        expectClose(pca.explainedVarianceRatio, reference.explained_variance_ratio, Self.closeness)
        expectClose(pca.transform(Tensor(reference.new_data)), reference.transformed.flatMap { $0 }, Self.closeness)
        #expect(pca.components.shape == [reference.component_count, reference.data[0].count])
    }

    @Test func eachComponentsLargestEntryIsPositive() {
        for reference in TrainingReferences.shared.pca {
            let components = PCA(fitting: Tensor(reference.data)).components
            for row in 0..<components.shape[0] {
                let values = components[row].scalars
                let largest = values.max { abs($0) < abs($1) }!
                #expect(largest > 0, "\(reference.name), component \(row)")
            }
        }
    }

    @Test func aComponentPastTheDatasRankIsAUnitVectorOrthogonalToTheOthersWithNoVariance() throws {
        let wide = try #require(TrainingReferences.shared.pca.first { $0.name == "wide" })
        let rows = wide.data.count
        #expect(wide.component_count == rows - 1, "the reference holds only the components the data define")
        let pca = PCA(fitting: Tensor(wide.data), componentCount: rows)
        expectClose(pca.components.matmul(pca.components.T), Tensor.eye(rows).scalars, Self.closeness)
        expectClose(pca.singularValues[..<(rows - 1)], wide.singular_values, Self.closeness)
        #expect(pca.explainedVariance.scalars[rows - 1] < 1e-20)
    }

    @Test func theFlipRuleTakesTheFirstOfEqualMagnitudes() {
        // Row 0 ties at 0.5 and its first is positive; row 1 ties at 0.3 and its first is negative.
        #expect(PCA.signFlipped(rows: [0.5, -0.5, 0.1, -0.3, 0.3, 0.1], width: 3) == [0.5, -0.5, 0.1, 0.3, -0.3, -0.1])
    }

    @Test func theProjectionHasTheExplainedVarianceAndAllComponentsRebuildTheData() {
        var random = RandomState(seed: 8)
        let data = random.randn(30, 4) * Tensor([3.0, 1.0, 0.5, 0.2]) + 10
        let pca = PCA(fitting: data)
        let projected = pca.transform(data)
        let variance = (projected * projected).sum(axis: 0) / 29
        expectClose(variance, pca.explainedVariance.scalars, Self.closeness)
        expectClose(pca.explainedVarianceRatio.sum(), 1, Self.closeness)
        expectClose(pca.inverseTransform(projected), data.scalars, Self.closeness)
        // The components are orthonormal.
        expectClose(pca.components.matmul(pca.components.T), Tensor.eye(4).scalars, Self.closeness)
    }

    @Test func float32DataAreFittedInFloat64() {
        let reference = TrainingReferences.shared.pca[0]
        let pca = PCA(fitting: Tensor(reference.data).cast(to: .float32), componentCount: 2)
        #expect(pca.components.dtype == .float64)
        expectClose(pca.components, reference.components.flatMap { $0 }, Closeness(rtol: 1e-4, atol: 1e-5))
    }

    @Test func describesItselfInOneLine() {
        let reference = TrainingReferences.shared.pca[0]
        let pca = PCA(fitting: Tensor(reference.data), componentCount: 2)
        let shares = reference.explained_variance_ratio.map { String(format: "%.1f%%", 100 * $0) }
        #expect(pca.description.hasPrefix("PCA: 2 of 5 dimensions, explaining "))
        #expect(pca.description.hasSuffix("(\(shares[0]) + \(shares[1]))"))
    }

    @Test func tooManyComponentsStopWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = PCA(fitting: Tensor.ones([3, 5]) + Tensor.eye(5)[0..<3], componentCount: 4)
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("PCATests.swift"))
        #expect(message.contains("componentCount must be between 1 and min(rows, columns) = 3"))
    }

    @Test func dataWithoutVarianceStopWithAMessage() async {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            _ = PCA(fitting: Tensor.ones([4, 2]))
        }
        let message = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(message.contains("PCA: every row of the data is the same"))
    }
}
