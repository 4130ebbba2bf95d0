/// Why a GGUF file could not be opened or a tensor in it read — with the file.
///
/// Its ``description`` names the file, says what was found, and what to do:
/// `Models/x.gguf: error: the file is GGUF version 2, and Cuaderno reads version 3; …`.
public struct GGUFFileError: Error, CustomStringConvertible, Equatable {
    /// What went wrong.
    public enum Problem: Error, Equatable, Sendable {
        /// The file could not be opened or read.
        case cannotRead(reason: String)
        /// The file does not start with the four bytes `GGUF`.
        case notGGUF(firstBytes: [UInt8])
        /// The file is of a GGUF version other than 3.
        case unsupportedVersion(UInt32)
        /// The file ends before the end of what is being read (`what`: "the header",
        /// "the value of metadata key \"general.name\"", "tensor info 12"…).
        case truncated(reading: String, needsBytesUpTo: Int, fileSize: Int)
        /// A metadata value has a type number the GGUF specification does not define.
        case unknownValueType(key: String, rawType: UInt32)
        /// A string (a key, a value, a tensor's name) is not valid UTF-8.
        case invalidText(reading: String)
        /// Two metadata entries have the same key.
        case duplicateKey(String)
        /// `general.alignment` is not a usable alignment.
        case invalidAlignment(reason: String)
        /// A tensor's entry in the tensor infos is malformed (dimensions, offset).
        case invalidTensorInfo(name: String, reason: String)
        /// Two tensors have the same name.
        case duplicateTensorName(String)
        /// A tensor's element type is a number ggml does not define.
        case unknownTensorType(name: String, rawType: UInt32)
        /// A tensor's data reaches past the end of the file.
        case tensorDataOutOfRange(name: String, begin: Int, end: Int, fileSize: Int)
        /// A tensor's element type is one Cuaderno does not dequantise.
        case unsupportedTensorType(name: String, type: GGMLType)
        /// No tensor has that name.
        case noSuchTensor(name: String)
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

extension GGUFFileError.Problem {
    /// What went wrong and what to do, in a sentence or two.
    var explanation: String {
        let fetchAgain = "if `make model` fetched it, run `make model` again; otherwise copy or download the file again"
        switch self {
        case .cannotRead(let reason):
            return "cannot read the file (\(reason)); check the path, or run `make model` if it is one of the course's models"
        case .notGGUF(let firstBytes):
            let shown = firstBytes.map { String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined(separator: " ")
            return "the file starts with the bytes \(shown.isEmpty ? "(none: it is empty)" : shown), not \"GGUF\" (47 47 55 46), "
                + "so it is not a GGUF file; give the .gguf file itself (files of the older GGML, GGMF and GGJT formats need converting with llama.cpp)"
        case .unsupportedVersion(let version):
            return "the file is GGUF version \(version), and Cuaderno reads version 3 (what llama.cpp has written since late 2023); "
                + "convert the model again with a current llama.cpp (convert_hf_to_gguf.py), or use a newer copy of the file"
        case .truncated(let what, let end, let fileSize):
            return "the file ends at byte \(fileSize), but \(what) needs bytes up to \(end): the file was cut short; \(fetchAgain)"
        case .unknownValueType(let key, let rawType):
            return "the metadata key \"\(key)\" has value type \(rawType), which the GGUF specification does not define (0…12); the file is damaged or not a GGUF file; \(fetchAgain)"
        case .invalidText(let what):
            return "\(what) is not valid UTF-8 text, as GGUF requires; the file is damaged; \(fetchAgain)"
        case .duplicateKey(let key):
            return "the metadata key \"\(key)\" appears twice; every key of a GGUF file is unique, so the file is damaged"
        case .invalidAlignment(let reason):
            return "general.alignment \(reason); it must be a UINT32 that is a power of two (the default is 32)"
        case .invalidTensorInfo(let name, let reason):
            return "the tensor \"\(name)\" \(reason); the file is damaged or was written wrongly"
        case .duplicateTensorName(let name):
            return "two tensors are named \"\(name)\"; every tensor of a GGUF file needs its own name"
        case .unknownTensorType(let name, let rawType):
            return "the tensor \"\(name)\" has element type \(rawType), a number ggml does not define; the file is damaged, or written by a newer ggml than Cuaderno knows"
        case .tensorDataOutOfRange(let name, let begin, let end, let fileSize):
            return "the data of \"\(name)\" is bytes \(begin)..<\(end), past the end of the file at byte \(fileSize): the file was cut short; \(fetchAgain)"
        case .unsupportedTensorType(let name, let type):
            return "the tensor \"\(name)\" is \(type), which Cuaderno does not dequantise (it reads F32, F16, Q8_0 and Q4_1); "
                + "requantise the model to one of those with llama.cpp's llama-quantize (for example to Q8_0)"
        case .noSuchTensor(let name):
            return "the file has no tensor named \"\(name)\"; GGUFFile.tensors lists the names it has"
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
