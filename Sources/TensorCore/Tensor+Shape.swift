private struct Transpose2D: ElementTransform {
    let rows: Int
    let columns: Int

    func apply<Element: TensorScalar>(_ values: [Element]) -> [Element] {
        var result = values
        for row in 0..<rows {
            for column in 0..<columns {
                result[column * rows + row] = values[row * columns + column]
            }
        }
        return result
    }
}

extension Tensor {
    /// The transpose of a matrix: `T[i, j] = self[j, i]`.
    ///
    /// - Shapes: `(m, n) → (n, m)`; a vector is returned unchanged, as in NumPy.
    public func transposed(file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        switch rank {
        case 0, 1:
            return self
        case 2:
            let transform = Transpose2D(rows: shape[0], columns: shape[1])
            return Tensor(shape: [shape[1], shape[0]], storage: storage.map(transform))
        default:
            tensorFailure("transposed(): expected a matrix but got shape \(describe(shape: shape))",
                          file: file, line: line)
        }
    }

    /// The transpose of a matrix (NumPy's `A.T`).
    public var T: Tensor { transposed() }

    /// The same elements with a new shape of the same size; one length may be `-1` to be inferred.
    public func reshaped(_ newShape: [Int], file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        var resolved = newShape
        let unknown = newShape.indices.filter { newShape[$0] == -1 }
        let known = newShape.filter { $0 != -1 }.reduce(1, *)
        if unknown.count == 1, known > 0, count % known == 0 {
            resolved[unknown[0]] = count / known
        }
        guard unknown.count <= 1, resolved.allSatisfy({ $0 >= 0 }), resolved.reduce(1, *) == count else {
            tensorFailure(
                "reshaped: cannot reshape a tensor of shape \(describe(shape: shape)) (\(count) elements) into \(describe(shape: newShape))",
                file: file, line: line)
        }
        return Tensor(shape: resolved, storage: storage)
    }
}
