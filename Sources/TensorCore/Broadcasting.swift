/// NumPy broadcasting: two shapes are compatible when, aligned from the right, each pair of axis
/// lengths is equal or one of them is 1. The result takes the larger length of each pair.
enum Broadcasting {
    /// The broadcast shape, or nil when the shapes are incompatible.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = max(a.count, b.count)
        let paddedA = Array(repeating: 1, count: rank - a.count) + a
        let paddedB = Array(repeating: 1, count: rank - b.count) + b
        var result: [Int] = []
        result.reserveCapacity(rank)
        for (x, y) in zip(paddedA, paddedB) {
            if x == y || y == 1 {
                result.append(x)
            } else if x == 1 {
                result.append(y)
            } else {
                return nil
            }
        }
        return result
    }

    /// Row-major strides of `shape` seen from a tensor of shape `target`: axes that are broadcast
    /// (length 1, or missing on the left) get stride 0, so they repeat the same elements.
    static func strides(of shape: [Int], broadcastTo target: [Int]) -> [Int] {
        let padded = Array(repeating: 1, count: target.count - shape.count) + shape
        var strides = Array(repeating: 0, count: target.count)
        var step = 1
        for axis in stride(from: target.count - 1, through: 0, by: -1) {
            strides[axis] = padded[axis] == 1 ? 0 : step
            step *= padded[axis]
        }
        return strides
    }

    /// Combines two element arrays of shapes `aShape` and `bShape` into one of shape `outShape`.
    @inline(__always)
    static func combine<Element, Result>(
        _ a: [Element], _ aShape: [Int], _ b: [Element], _ bShape: [Int], outShape: [Int],
        _ operation: (Element, Element) -> Result
    ) -> [Result] {
        let count = outShape.reduce(1, *)
        return a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                [Result](unsafeUninitializedCapacity: count) { result, initialized in
                    guard count > 0, let out = result.baseAddress, let aBase = a.baseAddress,
                          let bBase = b.baseAddress else { return }
                    HugePages.advise(out, count: count)
                    if aShape != bShape && a.count != 1 && b.count != 1 {
                        combineBroadcast(a, aShape, b, bShape, outShape: outShape, into: out, operation)
                    } else {
                        // Equal shapes, or one side a single number: one flat loop, split across
                        // cores when it is long (it is bound by memory speed, not arithmetic).
                        let (aPointer, bPointer, outPointer) = (UncheckedSendable(aBase), UncheckedSendable(bBase), UncheckedSendable(out))
                        let aIsScalar = a.count == 1 && count > 1, bIsScalar = b.count == 1 && count > 1
                        ParallelLoop.forEachPart(count: count, minimumPerWorker: 1 << 18) { range in
                            let (a, b, out) = (aPointer.value, bPointer.value, outPointer.value)
                            if bIsScalar {
                                let scalar = b[0]
                                for i in range { (out + i).initialize(to: operation(a[i], scalar)) }
                            } else if aIsScalar {
                                let scalar = a[0]
                                for i in range { (out + i).initialize(to: operation(scalar, b[i])) }
                            } else {
                                for i in range { (out + i).initialize(to: operation(a[i], b[i])) }
                            }
                        }
                    }
                    initialized = count
                }
            }
        }
    }

    /// The general case: walks the output's multi-index like an odometer, keeping both operands'
    /// offsets in step (a broadcast axis has stride 0, so it repeats the same elements).
    @inline(__always)
    private static func combineBroadcast<Element, Result>(
        _ a: UnsafeBufferPointer<Element>, _ aShape: [Int], _ b: UnsafeBufferPointer<Element>, _ bShape: [Int],
        outShape: [Int], into out: UnsafeMutablePointer<Result>, _ operation: (Element, Element) -> Result
    ) {
        let count = outShape.reduce(1, *)
        guard count > 0 else { return }
        let aStrides = strides(of: aShape, broadcastTo: outShape)
        let bStrides = strides(of: bShape, broadcastTo: outShape)
        let lastAxis = outShape.count - 1
        let lastLength = outShape[lastAxis]
        let (aStep, bStep) = (aStrides[lastAxis], bStrides[lastAxis])
        guard let aBase = a.baseAddress, let bBase = b.baseAddress else { return }
        // The odometer's digits live in one scratch buffer, so stepping it touches no array
        // bookkeeping (copy-on-write checks) once per row.
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 4 * outShape.count) { scratch in
            let rank = outShape.count
            let index = scratch.baseAddress!, extent = index + rank
            let aStride = index + 2 * rank, bStride = index + 3 * rank
            for axis in 0..<rank {
                index[axis] = 0
                extent[axis] = outShape[axis]
                aStride[axis] = aStrides[axis]
                bStride[axis] = bStrides[axis]
            }
            var aOffset = 0
            var bOffset = 0
            var written = 0
            while written < count {
                // The innermost run: both operands step by 1 (a bias added to each row), or one
                // repeats a single element; each case is a plain loop the compiler vectorises.
                let (aRun, bRun, outRun) = (aBase + aOffset, bBase + bOffset, out + written)
                switch (aStep, bStep) {
                case (1, 1):
                    for step in 0..<lastLength { (outRun + step).initialize(to: operation(aRun[step], bRun[step])) }
                case (1, 0):
                    let scalar = bRun[0]
                    for step in 0..<lastLength { (outRun + step).initialize(to: operation(aRun[step], scalar)) }
                case (0, 1):
                    let scalar = aRun[0]
                    for step in 0..<lastLength { (outRun + step).initialize(to: operation(scalar, bRun[step])) }
                default:
                    for step in 0..<lastLength {
                        (outRun + step).initialize(to: operation(aRun[step &* aStep], bRun[step &* bStep]))
                    }
                }
                written += lastLength
                var axis = lastAxis - 1
                while axis >= 0 {
                    index[axis] += 1
                    aOffset += aStride[axis]
                    bOffset += bStride[axis]
                    if index[axis] < extent[axis] { break }
                    aOffset -= aStride[axis] * extent[axis]
                    bOffset -= bStride[axis] * extent[axis]
                    index[axis] = 0
                    axis -= 1
                }
            }
        }
    }
}
