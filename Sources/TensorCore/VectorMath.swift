internal import CTensorKernels

/// Whole-array math through the SIMD kernels of `CTensorKernels` (glibc's libmvec: AVX-512 or
/// AVX2 where the CPU has them), several times faster than calling libm per element. Their
/// results are within a few units in the last place of the correctly rounded value, like NumPy's
/// own SIMD loops.
enum VectorMath {
    enum Function {
        case exp, sin, cos
        /// GELU's derivative, Φ(x) + x·φ(x) (for its backward step).
        case geluDerivative

        fileprivate var kernel: cuaderno_vector_function {
            switch self {
            case .exp: CUADERNO_EXP
            case .sin: CUADERNO_SIN
            case .cos: CUADERNO_COS
            case .geluDerivative: CUADERNO_GELU_DERIVATIVE
            }
        }
    }

    /// The instruction set in use: "avx512", "avx2" or "scalar".
    static var level: String { String(cString: cuaderno_vector_level()) }

    /// `y[i] = f(x[i])` for `count` elements of `Element` (Float or Double); `x` may equal `y`.
    static func apply<Element: TensorScalar>(_ function: Function, _ x: UnsafePointer<Element>,
                                             _ y: UnsafeMutablePointer<Element>, count: Int) {
        if Element.self == Double.self {
            x.withMemoryRebound(to: Double.self, capacity: count) { x in
                y.withMemoryRebound(to: Double.self, capacity: count) { y in
                    cuaderno_vector_map_f64(function.kernel, x, y, count)
                }
            }
        } else {
            x.withMemoryRebound(to: Float.self, capacity: count) { x in
                y.withMemoryRebound(to: Float.self, capacity: count) { y in
                    cuaderno_vector_map_f32(function.kernel, x, y, count)
                }
            }
        }
    }

    /// `f` of every element, split across cores for long arrays.
    static func map<Element: TensorScalar>(_ function: Function, _ values: [Element]) -> [Element] {
        values.writingNewArray { input, output, count in
            let (x, y) = (UncheckedSendable(input), UncheckedSendable(output))
            ParallelLoop.forEachPart(count: count, minimumPerWorker: 1 << 15) { range in
                apply(function, x.value + range.lowerBound, y.value + range.lowerBound, count: range.count)
            }
        }
    }
}

extension Array {
    /// A new array of the same length whose every element `fill` writes, reading this array's
    /// elements: `fill(source, target, count)`. Large results are backed by huge pages.
    func writingNewArray(_ fill: (UnsafePointer<Element>, UnsafeMutablePointer<Element>, Int) -> Void) -> [Element] {
        let count = self.count
        return withUnsafeBufferPointer { source in
            [Element](unsafeUninitializedCapacity: count) { target, initialized in
                initialized = count
                guard let input = source.baseAddress, let output = target.baseAddress else { return }
                HugePages.advise(output, count: count)
                fill(input, output, count)
            }
        }
    }
}

/// Large new arrays are backed by transparent huge pages, as NumPy does for arrays of 4 MB or
/// more: filling a fresh 80 MB result then takes 40 page faults instead of 20,000.
enum HugePages {
    /// Buffers at least this large are advised.
    static let threshold = 4 << 20

    /// Advises the kernel about `count` elements at `start`, if they are large enough to be worth it.
    @inline(__always)
    static func advise<Element>(_ start: UnsafeMutablePointer<Element>, count: Int) {
        let bytes = count * MemoryLayout<Element>.stride
        if bytes >= threshold { cuaderno_advise_huge_pages(start, bytes) }
    }
}
