import Foundation
import NN
import TensorCore

/// The 16 movie-review-like sentences of `Benchmarks/bert_batch.txt`, encoded as one batch of 32
/// tokens each (`[CLS]` and `[SEP]` included): eleven are cut at 32 tokens, five are padded. The
/// same batch that `bert_lora_bench.py` gives PyTorch, through Hugging Face's tokenizer.
func bertBenchmarkBatch(_ model: SentenceTransformer) -> TokenizedBatch {
    let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../bert_batch.txt")
    let text = try! String(contentsOf: file, encoding: .utf8)
    let sentences = text.split(separator: "\n").map(String.init)
    precondition(sentences.count == 16, "bert_batch.txt should hold 16 sentences")
    let batch = model.tokenizer.encode(sentences, maxLength: 32)
    precondition(batch.ids.shape == [16, 32], "the batch should be (16, 32), got \(batch.ids.shape)")
    return batch
}

/// The frozen model's forward pass over that batch (evaluation: no dropout, nothing recorded).
func bertForwardBatchCase() -> BenchCase {
    BenchCase(name: "bert-forward-16x32", flops: nil) {
        guard let folder = pretrainedFolder("all-MiniLM-L6-v2") else { return nil }
        let model = try! SentenceTransformer.load(from: folder)
        let batch = bertBenchmarkBatch(model)
        return { Sink.blackHole(model.model(batch).lastHiddenState) }
    }
}

/// The batch's labels: 1 for the favourable reviews of `bert_batch.txt`, 0 for the others.
let bertBenchmarkLabels = Tensor(indices: [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0])

/// One LoRA fine-tuning step of all-MiniLM-L6-v2 (float32), as lesson 12 trains it and as
/// `bert_lora_bench.py` does with PyTorch + PEFT: rank-8 adapters (α = 16) on every layer's query
/// and value, a new head 384 → 2 on the sentence embeddings, cross-entropy, backward, AdamW
/// (learning rate 10⁻³, weight decay 0.01) on the adapters and the head. Dropout 0.1 in training
/// mode, as BERT trains (off under `--check`, so that the losses can agree with PyTorch's).
final class BERTLoRAStep {
    let model: SentenceTransformer
    let head: Linear
    let optimizer: AdamW

    init(model: SentenceTransformer, dropout: Bool) {
        self.model = model
        // A from RandomState(0), layer after layer (query, then value); B zero.
        model.applyLoRA(rank: 8, alpha: 16, targets: ["query", "value"], seed: 0)
        var random = RandomState(seed: 1)
        head = Linear(384, 2, dtype: .float32, random: &random)
        optimizer = AdamW(parameters: model.trainableParameters + head.trainableParameters, learningRate: 1e-3, weightDecay: 0.01)
        model.setTraining(dropout)
    }

    /// One step; its loss (before the update).
    func run(_ batch: TokenizedBatch) -> Tensor {
        optimizer.zeroGradients()
        let loss = crossEntropy(head(model.encode(batch)), bertBenchmarkLabels)
        loss.backward()
        optimizer.step()
        return loss.detachedFromGradients()
    }
}

/// The step, timed; under `--check` two steps (the first one's loss does not depend on A, since
/// B starts at zero) and the second one's loss.
func bertLoRAStepCase() -> BenchCase {
    BenchCase(name: "bert-lora-step", flops: nil) {
        guard let folder = pretrainedFolder("all-MiniLM-L6-v2") else { return nil }
        let model = try! SentenceTransformer.load(from: folder)
        let batch = bertBenchmarkBatch(model)
        let step = BERTLoRAStep(model: model, dropout: !Sink.recording)
        if Sink.recording {
            return {
                _ = step.run(batch)
                Sink.blackHole(step.run(batch))
            }
        }
        return { Sink.blackHole(step.run(batch)) }
    }
}
