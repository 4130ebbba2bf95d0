import Foundation
import TensorCore

extension Module {
    /// Saves every parameter (trainable and frozen) to a safetensors file, each under its path
    /// in ``parameters`` (`attention.query.weight`); see ``ParameterFile``.
    ///
    /// - Parameters:
    ///   - path: the file to write, usually ending in `.safetensors`; relative to the current folder.
    ///   - metadata: free-form text to keep alongside (the epoch, the accuracy…).
    /// - Throws: ``ParameterFileError`` when two parameters share a name or the file cannot be written.
    public func save(to path: String, metadata: [String: String] = [:]) throws {
        let tensors = parameters.map { (name: $0.name, tensor: $0.parameter.value) }
        try ParameterFile.write(tensors, metadata: metadata, to: URL(fileURLWithPath: path))
    }

    /// Sets every parameter to the tensor of the same name in a safetensors file written by
    /// ``save(to:metadata:)`` (or by Python's `safetensors` with the same names).
    ///
    /// All or nothing: every parameter needs a tensor of its name, shape and dtype, and every
    /// tensor a parameter; otherwise nothing changes and the error names the file and the first
    /// parameter that does not match. A loaded parameter keeps its accumulated gradient, as with
    /// ``Parameter/update(to:)``.
    ///
    /// - Throws: ``ParameterFileError``: a parameter missing from the file, a tensor the model has
    ///   no parameter for, a shape or dtype that differs, or a file that cannot be read.
    public func load(from path: String) throws {
        let (tensors, _) = try ParameterFile.read(from: URL(fileURLWithPath: path))
        let named = parameters
        func failure(_ problem: ParameterFileError.Problem) -> ParameterFileError {
            ParameterFileError(path: path, problem: problem)
        }
        var names = Set<String>()
        for (name, parameter) in named {
            guard names.insert(name).inserted else { throw failure(.duplicateName(name)) }
            guard let tensor = tensors[name] else { throw failure(.missingParameter(name)) }
            guard tensor.shape == parameter.shape else {
                throw failure(.shapeMismatch(name: name, expected: parameter.shape, found: tensor.shape))
            }
            guard tensor.dtype == parameter.value.dtype else {
                throw failure(.dtypeMismatch(name: name, expected: parameter.value.dtype, found: tensor.dtype))
            }
        }
        if let extra = tensors.keys.sorted().first(where: { !names.contains($0) }) {
            throw failure(.unexpectedParameter(extra))
        }
        for (name, parameter) in named {
            parameter.update(to: tensors[name]!)
        }
    }
}
