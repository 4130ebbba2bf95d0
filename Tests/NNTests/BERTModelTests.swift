import Foundation
import Testing
import NN
import TensorCore

/// all-MiniLM-L6-v2 against the NumPy forward pass of `Fixtures/bert/model.json` (float64 from
/// the float32 weights), to 1e-4. Largest differences measured (2026-11-22), float32 model: hidden
/// states 8.0e-7, attention weights 8.9e-7, sentence embeddings 1.3e-7 (padded batch 1.3e-7),
/// similarities 8.3e-7; float64 model: hidden states 1.8e-15, attention 1.6e-15, embeddings 3.1e-16.
@Suite struct BERTModelTests {
    static let tolerance = 1e-4

    @Test func parameterCountsMatchTheCheckpoint() throws {
        let counts = PretrainedFixtures.references.parameter_counts
        guard let model = PretrainedFixtures.model()?.model else { return }
        #expect(model.parameterCounts.total == counts.total)
        #expect(model.parameterCounts.total == 22_713_216)
        #expect(model.parameterCounts.trainable == 0, "inference only: every parameter is frozen")
        #expect(model.embeddings.parameterCounts.total == counts.embeddings)
        #expect(model.layers.map(\.parameterCounts.total) == counts.encoder_layers)
        #expect(model.pooler?.parameterCounts.total == counts.pooler)
        // Paths read like the checkpoint's names.
        let names = model.parameters.map(\.name)
        #expect(names.first == "embeddings.word_embeddings.table")
        #expect(names.contains("encoder.layer.5.attention.self.query.weight"))
        #expect(names.contains("encoder.layer.0.output.LayerNorm.scale"))
        #expect(names.last == "pooler.dense.bias")
    }

    @Test func configurationComesFromConfigJSON() throws {
        guard let model = PretrainedFixtures.model()?.model else { return }
        #expect(model.configuration == BERTConfiguration(vocabularySize: 30522, hiddenSize: 384, layerCount: 6, headCount: 12,
                                                         intermediateSize: 1536, hiddenActivation: "gelu", layerNormEpsilon: 1e-12,
                                                         maxPositions: 512, tokenTypeCount: 2))
        #expect(model.configuration.headSize == 32)
        #expect(model.layers[0].attentionNorm.epsilon == 1e-12)
    }

    @Test(arguments: [DType.float32, .float64])
    func eachSentenceMatchesTheReference(dtype: DType) throws {
        guard let transformer = PretrainedFixtures.model(dtype) else { return }
        let tolerance = dtype == .float64 ? 1e-12 : Self.tolerance
        for reference in PretrainedFixtures.references.sentences {
            let encoded = transformer.tokenizer.encode(reference.text)
            #expect(encoded.ids == reference.ids)
            let output = transformer.model(encoded)
            #expect(output.hiddenStates.count == 7 && output.attentions.count == 6)
            #expect(output.lastHiddenState.shape == [reference.ids.count, 384])
            #expect(output.attentions[0].shape == [12, reference.ids.count, reference.ids.count])
            #expect(output.lastHiddenState.dtype == dtype)

            for (layer, expected) in reference.hidden_states_first_token_first8.enumerated() {
                let difference = largestDifference(output.hiddenStates[layer][0, 0..<8], expected)
                #expect(difference <= tolerance, "\(reference.text): hidden state \(layer), token 0: \(difference)")
            }
            let lastToken = reference.ids.count - 1
            let last = largestDifference(output.lastHiddenState[lastToken, 0..<8], reference.last_hidden_last_token_first8)
            #expect(last <= tolerance, "\(reference.text): last token: \(last)")
            let first = largestDifference(output.lastHiddenState[0, 0..<8], reference.last_hidden_first_token_first8)
            #expect(first <= tolerance, "\(reference.text): first token: \(first)")

            for attention in reference.attention ?? [] {
                let weights = output.attentions[attention.layer][attention.head]
                let difference = largestDifference(weights, attention.weights.flatMap { $0 })
                #expect(difference <= tolerance, "\(reference.text): layer \(attention.layer) head \(attention.head): \(difference)")
            }

            let embedding = transformer.encode(reference.text)
            let difference = largestDifference(embedding, reference.embedding)
            #expect(difference <= tolerance, "\(reference.text): embedding: \(difference)")
            #expect(abs(embedding.norm() - 1) <= 1e-6)
        }
    }

    @Test func similaritiesMatchTheReference() throws {
        guard let transformer = PretrainedFixtures.model() else { return }
        let references = PretrainedFixtures.references
        let embeddings = transformer.encode(references.sentences.map(\.text))   // one padded batch of 6
        #expect(embeddings.shape == [6, 384])
        let similarities = embeddings.matmul(embeddings.T)
        let difference = largestDifference(similarities, references.cosine_similarity.flatMap { $0 })
        #expect(difference <= Self.tolerance, "cosine similarities: \(difference)")
        // The two cat sentences are close, a cat and the stock market are not.
        #expect(similarities[0, 1].item() > 0.7)
        #expect(similarities[0, 2].item() < 0.1)
    }

    @Test func aPaddedBatchGivesTheUnpaddedResults() throws {
        guard let transformer = PretrainedFixtures.model() else { return }
        let batch = PretrainedFixtures.references.padded_batch
        let texts = batch.sentences.map { PretrainedFixtures.references.sentences[$0].text }
        let encoded = transformer.tokenizer.encode(texts)
        #expect(encoded.texts.map(\.ids) == batch.input_ids)
        #expect(encoded.texts.map(\.attentionMask) == batch.attention_mask)

        let output = transformer.model(encoded)
        #expect(output.attentions[0].shape == [2, 12, 32, 32])
        // No query of the short sentence looks at its 23 padding positions.
        let toPadding = output.attentions.map { $0[0][..., ..., 9..<32].abs().max() }.max() ?? 1
        #expect(toPadding == 0)
        let embeddings = transformer.encode(texts)
        let difference = largestDifference(embeddings, batch.embeddings.flatMap { $0 })
        #expect(difference <= Self.tolerance, "padded batch: \(difference)")
        // The short sentence's real tokens come out as they do unpadded.
        let alone = transformer.model(transformer.tokenizer.encode(texts[0]))
        let sameTokens = (output.lastHiddenState[0, 0..<9] - alone.lastHiddenState).abs().max()
        #expect(sameTokens <= 1e-5)
    }

    /// What a lesson does: take the hidden state a layer reads, project it with that layer's
    /// query and key, split the heads, and compute one head's attention weights by hand.
    @Test func oneHeadRecomputedByHandEqualsTheModels() throws {
        guard let transformer = PretrainedFixtures.model(.float64) else { return }
        let output = transformer.model(transformer.tokenizer.encode("The cat sat on the mat."))
        let (layer, head) = (2, 5)
        let attention = transformer.model.layers[layer].attention
        let x = output.hiddenStates[layer]                               // (9, 384)
        let columns = (head * 32)..<((head + 1) * 32)
        let q = attention.query(x)[..., columns]                         // (9, 32)
        let k = attention.key(x)[..., columns]
        let weights = (q.matmul(k.T) / 32.0.squareRoot()).softmax(axis: -1)
        let difference = (weights - output.attentions[layer][head]).abs().max()
        #expect(difference <= 1e-12)
        #expect(attention.query.weight.shape == [384, 384])
    }

    @Test func thePoolerIsTanhOfTheFirstToken() throws {
        guard let model = PretrainedFixtures.model()?.model else { return }
        guard let pooler = model.pooler else {
            Issue.record("the checkpoint's pooler was not loaded")
            return
        }
        let output = model(ids: Tensor(indices: [101, 7592, 102]))
        let pooled = model.pooledOutput(output)
        #expect(pooled?.shape == [384])
        let byHand = pooler(output.lastHiddenState[0 ..< 1]).tanh()[0]
        #expect(pooled.map { ($0 - byHand).abs().max() } == 0)
    }
}
