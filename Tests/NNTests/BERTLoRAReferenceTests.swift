import Foundation
import Testing
import NN
import TensorCore

/// One LoRA fine-tuning step on all-MiniLM-L6-v2 against PyTorch + PEFT
/// (`Fixtures/bert-lora/make_references.py`, float64): rank-4 adapters (α = 8) on the first
/// layer's query and value with known, non-zero A and B, a classification head on the sentence
/// embeddings, cross-entropy over three texts; the loss and the gradients of both adapters' A and
/// B and of the head.
///
/// Tolerances (the shared ``Closeness`` rule, |ours − theirs| ≤ atol + rtol·|theirs|; the
/// gradients are at most 0.18, the head's bias, and as small as 9·10⁻⁴, B of the query):
/// - float64 model: rtol 10⁻⁹, atol 10⁻¹² — the same arithmetic in another order. Largest
///   differences measured (2026-12-03, printed by the test): 1.2·10⁻¹⁶ (A of the value adapter),
///   at most 6·10⁻¹⁸ for the query adapter.
/// - float32 model, against the float64 reference: rtol 10⁻⁵, atol 2·10⁻⁷. Measured: at most
///   3.1·10⁻⁸ (A of the value adapter, and the head's weight); PyTorch's own float32 step is
///   2.8·10⁻⁸ from its float64 one (the script records it in the file's metadata).
@Suite struct BERTLoRAReferenceTests {
    static let file = fixturesFolder.appendingPathComponent("bert-lora/references.safetensors")
    static let targets = ["encoder.layer.0.attention.self.query", "encoder.layer.0.attention.self.value"]

    @Test(arguments: [DType.float64, .float32])
    func oneStepsGradientsMatchPyTorchAndPEFT(dtype: DType) throws {
        let (tensors, metadata) = try ParameterFile.read(from: Self.file)
        let st = try SentenceTransformer.load(named: PretrainedFixtures.modelName, dtype: dtype)
        let adapted = st.applyLoRA(rank: 4, alpha: 8, targets: Self.targets.map { PathPattern($0) })
        #expect(adapted == Self.targets)
        #expect(st.parameterCounts.trainable == 2 * 4 * (384 + 384))
        for (path, layer) in st.loraLayers {
            layer.a.update(to: tensors["\(path).a"]!.cast(to: dtype))
            layer.b.update(to: tensors["\(path).b"]!.cast(to: dtype))
        }
        let head = Linear(weight: tensors["head.weight"]!.cast(to: dtype), bias: tensors["head.bias"]!.cast(to: dtype))

        let sentences = try JSONDecoder().decode([String].self, from: Data(metadata["sentences"]!.utf8))
        let batch = st.tokenizer.encode(sentences)
        #expect(batch.ids.indices == tensors["input_ids"]!.indices, "the same ids as Hugging Face's tokenizer")
        #expect(batch.attentionMask.indices == tensors["attention_mask"]!.indices)

        let loss = crossEntropy(head(st.encode(batch)), tensors["labels"]!)
        loss.backward()

        let closeness = dtype == .float64 ? Closeness(rtol: 1e-9, atol: 1e-12) : Closeness(rtol: 1e-5, atol: 2e-7)
        let expectedLoss = tensors["loss"]!.item()
        #expect(closeness.mismatch(loss.item(), expectedLoss) == nil, "loss \(loss.item()) against \(expectedLoss)")
        var gradients: [(name: String, gradient: Tensor?)] = []
        for (path, layer) in st.loraLayers {
            gradients += [("\(path).a", layer.a.gradient), ("\(path).b", layer.b.gradient)]
        }
        gradients += [("head.weight", head.weight.gradient), ("head.bias", head.bias!.gradient)]
        var largest: [String] = []
        for (name, gradient) in gradients {
            guard let gradient else {
                Issue.record("\(name) got no gradient")
                continue
            }
            let expected = tensors["grad.\(name)"]!
            largest.append("\(name) \((gradient.cast(to: .float64) - expected).abs().max())")
            let mismatch = closeness.mismatch(gradient.cast(to: .float64), expected)
            #expect(mismatch == nil, "\(dtype) \(name): \(mismatch ?? "")")
        }
        print("BERTLoRAReferenceTests \(dtype): largest differences: \(largest.joined(separator: ", "))")
        // Nothing but the adapters and the head took a gradient.
        #expect(st.parameters.filter { $0.parameter.gradient != nil }.count == 4)
    }

    /// LoRA as lesson 12 uses it on the float32 model: rank 8 on every query and value, merged
    /// and unmerged, saved with a head and reloaded into a model fresh from its file.
    @Test func miniLMWithAdaptersMergesSavesAndReloads() throws {
        let texts = ["A quietly devastating film.", "Dull."]
        let st = try SentenceTransformer.load(named: PretrainedFixtures.modelName)
        let before = st.encode(texts)
        st.applyLoRA(rank: 8, alpha: 16, targets: ["query", "value"], seed: 0)
        #expect(st.parameterCounts == ParameterCounts(total: 22_713_216 + 12 * 8 * (384 + 384), trainable: 12 * 8 * (384 + 384)))
        #expect(Tensor.withoutGradients { st.encode(texts) }.scalars == before.scalars, "B starts at zero")
        var random = RandomState(seed: 3)
        for (_, layer) in st.loraLayers { layer.b.update(to: random.randn(shape: layer.b.shape, dtype: .float32) * 0.05) }
        let head = Linear(384, 2, dtype: .float32, random: &random)
        let adapted = Tensor.withoutGradients { st.encode(texts) }
        #expect((adapted - before).abs().max() > 1e-3, "the adapters change the embeddings")

        st.mergeLoRA()
        let merged = Tensor.withoutGradients { st.encode(texts) }
        #expect(Closeness(rtol: 0, atol: 1e-5).mismatch(merged, adapted) == nil, "merged: float32 rounding only")
        st.unmergeLoRA()
        #expect(Tensor.withoutGradients { st.encode(texts) }.scalars == adapted.scalars)

        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("sentiment.safetensors").path
        try st.saveAdapters(to: path, including: ["head": head])
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
        #expect(size < 320_000, "73,728 + 770 float32 numbers and a header, not the 87 MB model: \(size) bytes")
        let fresh = try SentenceTransformer.load(named: PretrainedFixtures.modelName)
        let freshHead = Linear(384, 2, dtype: .float32)
        try fresh.loadAdapters(from: path, including: ["head": freshHead])
        let reloaded = Tensor.withoutGradients { fresh.encode(texts) }
        #expect(reloaded.scalars == adapted.scalars)
        #expect(freshHead(reloaded).scalars == head(adapted).scalars)
    }
}
