/// Why a GGUF file could not be loaded as a ``LlamaModel`` — with the file.
///
/// Its ``description`` names the file, says what was found, and what to do:
/// `Models/x.gguf: error: the model's architecture is "gemma", and LlamaModel runs "llama"; …`.
/// Problems with the GGUF container itself are a ``GGUFFileError``.
public struct LlamaModelError: Error, CustomStringConvertible, Equatable {
    /// What went wrong.
    public enum Problem: Error, Equatable, Sendable {
        /// `general.architecture` is not `llama` (nil when the key is missing).
        case notLlama(architecture: String?)
        /// A metadata key the model needs is missing.
        case missingMetadata(key: String)
        /// A metadata value is of the wrong type or out of range.
        case invalidMetadata(key: String, reason: String)
        /// A tensor the model needs is missing.
        case missingTensor(name: String)
        /// A tensor's shape (row-major) is not the one the metadata implies.
        case wrongTensorShape(name: String, expected: [Int], found: [Int])
        /// A tensor's element type is one LlamaModel does not compute with.
        case unsupportedTensorType(name: String, type: GGMLType, supported: [GGMLType])
    }

    /// The file, as it was given.
    public let path: String
    /// What went wrong.
    public let problem: Problem

    /// An error about the file at `path`.
    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// `path: error: what went wrong; what to do`.
    public var description: String { "\(path): error: \(problem.explanation)" }
}

extension LlamaModelError.Problem {
    /// What went wrong and what to do, in a sentence or two.
    var explanation: String {
        let damaged = "the file is damaged or was converted wrongly; convert the model again with llama.cpp's convert_hf_to_gguf.py (or run `make model` for the course's model)"
        switch self {
        case .notLlama(let architecture):
            let found = architecture.map { "is \"\($0)\"" } ?? "is not given (no general.architecture key)"
            return "the model's architecture \(found), and LlamaModel runs \"llama\" models only (SmolLM2, Llama 2 and 3, TinyLlama…); "
                + "give it a GGUF file of a llama-architecture model, or open this one with GGUFFile to read its tensors"
        case .missingMetadata(let key):
            return "the metadata has no \"\(key)\", which a llama model needs; \(damaged)"
        case .invalidMetadata(let key, let reason):
            return "the metadata value \"\(key)\" \(reason); \(damaged)"
        case .missingTensor(let name):
            return "the file has no tensor \"\(name)\", which a llama model needs; \(damaged)"
        case .wrongTensorShape(let name, let expected, let found):
            return "the tensor \"\(name)\" has shape \(found), but the metadata implies \(expected); \(damaged)"
        case .unsupportedTensorType(let name, let type, let supported):
            let names = supported.map(\.description).joined(separator: ", ")
            return "the tensor \"\(name)\" is \(type), and LlamaModel computes with \(names); "
                + "requantise the model to one of those with llama.cpp's llama-quantize (for example to Q8_0)"
        }
    }
}
