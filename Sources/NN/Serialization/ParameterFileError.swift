import TensorCore

/// Why a parameter file could not be written, read, or loaded into a model — with the file.
///
/// Its ``description`` names the file and, where there is one, the tensor or parameter, and says
/// what to do: `model.safetensors: error: the file has no tensor named "output.bias", …`.
public struct ParameterFileError: Error, CustomStringConvertible, Equatable {
    /// What went wrong.
    public enum Problem: Error, Equatable, Sendable {
        /// The file could not be opened or read.
        case cannotRead(reason: String)
        /// The file could not be written (a missing folder, no permission).
        case cannotWrite(reason: String)
        /// The file is shorter than the 8 bytes that hold the header's length.
        case truncated(byteCount: Int)
        /// The header's length reaches past the end of the file.
        case headerTooLong(headerLength: UInt64, bytesAfterLength: Int)
        /// The header is not a JSON object of tensor entries (and `__metadata__`).
        case invalidHeader(reason: String)
        /// The header's entry for a tensor is malformed.
        case invalidEntry(name: String, reason: String)
        /// A tensor's element type is one Cuaderno does not read (I32, U8, F8…).
        case unsupportedDType(name: String, dtype: String)
        /// A tensor's `data_offsets` reach outside the data after the header.
        case dataOutOfRange(name: String, begin: Int, end: Int, dataByteCount: Int)
        /// A tensor's `data_offsets` span a different number of bytes than its shape and dtype need.
        case wrongByteCount(name: String, expected: Int, actual: Int)
        /// Two tensors claim some of the same bytes.
        case overlappingData(name: String, other: String)
        /// Some bytes of the data belong to no tensor (a gap, or bytes after the last tensor).
        case unclaimedBytes(begin: Int, end: Int)
        /// Two tensors (or two parameters of a model) share a name.
        case duplicateName(String)
        /// The model has a parameter the file does not.
        case missingParameter(String)
        /// The file has a tensor the model has no parameter for.
        case unexpectedParameter(String)
        /// A tensor's shape differs from the model's parameter.
        case shapeMismatch(name: String, expected: [Int], found: [Int])
        /// A tensor's element type differs from the model's parameter.
        case dtypeMismatch(name: String, expected: DType, found: DType)
        /// The file is not LoRA adapters written by `saveAdapters(to:including:)` (or there are no
        /// adapters to save).
        case notAnAdapterFile(reason: String)
        /// The file's adapters do not fit the model's projections or adapters.
        case adapterMismatch(reason: String)
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

extension ParameterFileError.Problem {
    /// What went wrong and what to do, in a sentence or two.
    var explanation: String {
        let notSafetensors = "the file was cut short, or is not a safetensors file"
        switch self {
        case .cannotRead(let reason):
            return "cannot read the file (\(reason)); check the path"
        case .cannotWrite(let reason):
            return "cannot write the file (\(reason)); check that its folder exists and can be written to"
        case .truncated(let byteCount):
            return "the file is \(byteCount) bytes long, too short for the 8-byte header length a safetensors file starts with; \(notSafetensors)"
        case .headerTooLong(let headerLength, let bytesAfterLength):
            return "the header length says \(headerLength) bytes but only \(bytesAfterLength) follow; \(notSafetensors)"
        case .invalidHeader(let reason):
            return "the header is not valid: \(reason); is this a safetensors file?"
        case .invalidEntry(let name, let reason):
            return "the header's entry for \"\(name)\" is malformed: \(reason)"
        case .unsupportedDType(let name, let dtype):
            return "\"\(name)\" has dtype \(dtype), which Cuaderno does not read (it reads F64, F32, I64, BOOL, and F16 and BF16 as float32); convert it, say to float32, where it was saved, and save it again"
        case .dataOutOfRange(let name, let begin, let end, let dataByteCount):
            return "\"\(name)\" has data_offsets [\(begin), \(end)], outside the \(dataByteCount) bytes of data after the header; \(notSafetensors)"
        case .wrongByteCount(let name, let expected, let actual):
            return "\"\(name)\" needs \(expected) bytes for its shape and dtype, but its data_offsets span \(actual); the header is wrong"
        case .overlappingData(let name, let other):
            return "the data of \"\(name)\" overlaps that of \"\(other)\"; in a safetensors file every tensor has bytes of its own"
        case .unclaimedBytes(let begin, let end):
            return "bytes \(begin)..<\(end) of the data belong to no tensor; a safetensors file packs its tensors without gaps, so the header is wrong"
        case .duplicateName(let name):
            return "two tensors are named \"\(name)\"; every tensor of a file needs its own name"
        case .missingParameter(let name):
            return "the file has no tensor named \"\(name)\", which the model needs; was the file saved from a different model?"
        case .unexpectedParameter(let name):
            return "the file has a tensor \"\(name)\" that the model has no parameter for; was the file saved from a different model, or has the model changed since?"
        case .shapeMismatch(let name, let expected, let found):
            return "\"\(name)\" has shape \(Tensor.shapeDescription(found)) in the file but \(Tensor.shapeDescription(expected)) in the model; build the model with the sizes it was saved with"
        case .notAnAdapterFile(let reason):
            return "not a LoRA adapter file: \(reason)"
        case .adapterMismatch(let reason):
            return "the LoRA adapters do not fit this model: \(reason)"
        case .dtypeMismatch(let name, let expected, let found):
            return "\"\(name)\" is \(found) in the file but \(expected) in the model; make the model's parameters \(found), or save the file again as \(expected)"
        }
    }
}
