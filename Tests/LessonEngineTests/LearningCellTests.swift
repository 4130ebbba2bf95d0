import Foundation
import Testing
@testable import LessonEngine

/// Autodiff, layers, LoRA and optimizers from inside lesson cells, as a lesson uses them.
@Suite(.serialized) struct LearningCellTests {
    @Test func aCellTrainsALoRAAdapterAndComparesAttentionWithTheLibrarys() throws {
        let report = try runLesson("""
            ---
            title: Learning in cells
            ---
            ```swift
            var random = RandomState(seed: 0)
            let x = random.randn(64, 10)
            let labels = Tensor(indices: (0..<64).map { $0 % 2 })
            let base = Linear(10, 16, random: &random)
            let model = Sequential(LoRALinear(base: base, rank: 2, alpha: 4, random: &random), ReLU(),
                                   Linear(16, 2, random: &random))
            let optimizer = Adam(parameters: model.trainableParameters, learningRate: 0.05)
            var losses: [Double] = []
            for _ in 0..<30 {
                optimizer.zeroGradients()
                let loss = crossEntropy(model(x), labels)
                loss.backward()
                optimizer.step()
                losses.append(loss.item())
            }
            print(losses.last! < losses.first!, model.parameterCounts)
            ```
            ```swift
            let w = random.randn(8, 8)
            let attention = NN.MultiHeadAttention(queryWeight: w, keyWeight: w, valueWeight: w,
                                                  outputWeight: Tensor.eye(8), headCount: 1)
            let tokens = random.randn(3, 8)
            let q = tokens.matmul(w)
            let byHand = (q.matmul(q.T) / 8.0.squareRoot()).softmax(axis: -1).matmul(q)
            print(Closeness(rtol: 1e-12, atol: 1e-12).mismatch(attention(tokens), byHand) == nil)
            ```
            """)
        #expect(report.succeeded, "\(report.cells.map(\.status))")
        // 10·16 + 16 frozen; 2·(10 + 16) + 16·2 + 2 trainable.
        #expect(report.cells[0].printed == "true 262 parameters: 86 trainable (32.8%), 176 frozen\n")
        #expect(report.cells[1].printed == "true\n")
    }
}
