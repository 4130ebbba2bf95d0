import Foundation

/// A random number generator that reproduces NumPy's legacy `np.random.RandomState` exactly.
///
/// The same seed gives the same numbers as NumPy, draw for draw, so a lesson ported from a NumPy
/// notebook that calls `np.random.seed(42)` shows the notebook's values:
///
/// ```swift
/// var rng = RandomState(seed: 42)      // np.random.RandomState(42)
/// let X = rng.randn(7, 16) * 0.5       // rng.randn(7, 16) * 0.5
/// ```
///
/// The generator is the 32-bit Mersenne Twister (MT19937; Matsumoto & Nishimura, 1998), seeded
/// the way NumPy's `_legacy_seeding` does for an integer (Knuth's multiplier 1812433253). On top
/// of it the same methods as NumPy's legacy distributions:
/// - `rand`: 53-bit doubles from two draws, `(a >> 5) · 2²⁶ + (b >> 6)` over 2⁵³;
/// - `randn`: Marsaglia's polar method, which makes two Gaussians per accepted pair and keeps the
///   second for the next call;
/// - `randint`: masked rejection sampling (draw, keep the low bits, retry while out of range);
/// - `shuffle`/`permutation`: Fisher–Yates from the last position down, with the same masked
///   rejection for each index.
public struct RandomState: Sendable {
    private static let stateLength = 624
    private static let shift = 397
    private var key = [UInt32](repeating: 0, count: 624)
    private var position = 624
    private var cachedGaussian: Double?

    /// Seeds the generator like `np.random.RandomState(seed)` / `np.random.seed(seed)`.
    public init(seed: UInt32) {
        reseed(seed)
    }

    /// Starts again from `seed`, like `np.random.seed(seed)`.
    public mutating func reseed(_ seed: UInt32) {
        var value = seed
        for index in 0..<Self.stateLength {
            key[index] = value
            value = 1_812_433_253 &* (value ^ (value >> 30)) &+ UInt32(index + 1)
        }
        position = Self.stateLength
        cachedGaussian = nil
    }

    /// The next raw 32-bit output of the Mersenne Twister.
    public mutating func nextUInt32() -> UInt32 {
        if position == Self.stateLength { regenerate() }
        let y = key[position]
        position += 1
        return Self.tempered(y)
    }

    /// The twister's output transformation ("tempering") of one word of its state.
    @inline(__always)
    private static func tempered(_ word: UInt32) -> UInt32 {
        var y = word
        y ^= y >> 11
        y ^= (y << 7) & 0x9d2c_5680
        y ^= (y << 15) & 0xefc6_0000
        y ^= y >> 18
        return y
    }

    /// The next 624 words of state, each from its successor and the word 397 places on (wrapping
    /// around the end). Written as three loops without a remainder per word, so that the
    /// compiler vectorises the first two; the words are still computed in order, in place, so
    /// that later words read the new values of earlier ones exactly as the reference does.
    private mutating func regenerate() {
        key.withUnsafeMutableBufferPointer { buffer in
            let key = buffer.baseAddress!
            let (n, m) = (Self.stateLength, Self.shift)
            @inline(__always) func twist(_ current: UInt32, _ next: UInt32, _ far: UInt32) -> UInt32 {
                let y = (current & 0x8000_0000) | (next & 0x7fff_ffff)
                // The matrix's last row is added only when y is odd: a mask, not a branch.
                return far ^ (y >> 1) ^ ((0 &- (y & 1)) & 0x9908_b0df)
            }
            for i in 0..<(n - m) { key[i] = twist(key[i], key[i + 1], key[i + m]) }
            for i in (n - m)..<(n - 1) { key[i] = twist(key[i], key[i + 1], key[i + m - n]) }
            key[n - 1] = twist(key[n - 1], key[0], key[m - 1])
        }
        position = 0
    }

    /// A double uniformly distributed in [0, 1) with 53 random bits (NumPy's `random_sample`).
    public mutating func nextDouble() -> Double {
        let a = nextUInt32(), b = nextUInt32()
        return Self.double(a, b)
    }

    /// The double NumPy makes of two consecutive outputs: `(a >> 5) · 2²⁶ + (b >> 6)` over 2⁵³.
    @inline(__always)
    private static func double(_ a: UInt32, _ b: UInt32) -> Double {
        (Double(a >> 5) * 67_108_864.0 + Double(b >> 6)) / 9_007_199_254_740_992.0
    }

    /// Fills `output` with the next raw outputs, the same as calling ``nextUInt32()`` for each
    /// in turn: whole stretches of the state are tempered at once, in a loop the compiler
    /// vectorises.
    mutating func fill(_ output: UnsafeMutableBufferPointer<UInt32>) {
        var written = 0
        while written < output.count {
            if position == Self.stateLength { regenerate() }
            let run = Swift.min(Self.stateLength - position, output.count - written)
            key.withUnsafeBufferPointer { key in
                let (source, target) = (key.baseAddress! + position, output.baseAddress! + written)
                for i in 0..<run { target[i] = Self.tempered(source[i]) }
            }
            position += run
            written += run
        }
    }

    /// Fills `output` with the next uniform doubles in [0, 1), the same as calling
    /// ``nextDouble()`` for each in turn (NumPy's `random_sample(size)`), a block of raw outputs
    /// at a time.
    mutating func fill(_ output: UnsafeMutableBufferPointer<Double>) {
        let block = 1024
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 2 * block) { words in
            var written = 0
            while written < output.count {
                let count = Swift.min(block, output.count - written)
                fill(UnsafeMutableBufferPointer(rebasing: words[..<(2 * count)]))
                let target = output.baseAddress! + written
                for i in 0..<count { target[i] = Self.double(words[2 * i], words[2 * i + 1]) }
                written += count
            }
        }
    }

    /// A standard normal number (NumPy's legacy `standard_normal`, the polar method).
    public mutating func nextGaussian() -> Double {
        if let cached = cachedGaussian {
            cachedGaussian = nil
            return cached
        }
        var x1 = 0.0
        var x2 = 0.0
        var radiusSquared = 0.0
        repeat {
            x1 = 2 * nextDouble() - 1
            x2 = 2 * nextDouble() - 1
            radiusSquared = x1 * x1 + x2 * x2
        } while radiusSquared >= 1 || radiusSquared == 0
        let factor = (-2 * Foundation.log(radiusSquared) / radiusSquared).squareRoot()
        cachedGaussian = factor * x1
        return factor * x2
    }

    /// A uniform integer in `0...maximum` by masked rejection (NumPy's `random_interval` and
    /// `buffered_bounded_masked_uint32`, which agree for ranges that fit in 32 bits).
    mutating func nextInteger(upTo maximum: UInt32) -> UInt32 {
        if maximum == 0 { return 0 }
        var mask = maximum
        for shift in [1, 2, 4, 8, 16] { mask |= mask >> UInt32(shift) }
        while true {
            let value = nextUInt32() & mask
            if value <= maximum { return value }
        }
    }

    /// Uniform numbers in [0, 1) of the given shape (`np.random.rand(d0, d1, …)`).
    public mutating func rand(_ shape: Int..., dtype: DType = .float64,
                                file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        rand(shape: shape, dtype: dtype, file: file, line: line)
    }

    /// Standard normal numbers of the given shape (`np.random.randn(d0, d1, …)`).
    public mutating func randn(_ shape: Int..., dtype: DType = .float64,
                                file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        randn(shape: shape, dtype: dtype, file: file, line: line)
    }

    /// Uniform numbers in [0, 1) of a shape given as an array.
    public mutating func rand(shape: [Int], dtype: DType = .float64,
                              file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let count = Self.count(of: shape, operation: "rand", file: file, line: line)
        let values = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let start = buffer.baseAddress { HugePages.advise(start, count: count) }
            fill(buffer)
            initialized = count
        }
        return Tensor(shape: shape, scalars: values, dtype: dtype)
    }

    /// Standard normal numbers of a shape given as an array.
    public mutating func randn(shape: [Int], dtype: DType = .float64,
                               file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        let count = Self.count(of: shape, operation: "randn", file: file, line: line)
        let values = [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let start = buffer.baseAddress { HugePages.advise(start, count: count) }
            for i in 0..<count { buffer[i] = nextGaussian() }
            initialized = count
        }
        return Tensor(shape: shape, scalars: values, dtype: dtype)
    }

    /// The number of elements of `shape`, stopping with a clear message on a negative length
    /// (before any draw, so the generator's state is unchanged).
    private static func count(of shape: [Int], operation: String, file: StaticString, line: UInt) -> Int {
        if let bad = shape.first(where: { $0 < 0 }) {
            tensorFailure("\(operation): axis length \(bad) is negative in shape \(describe(shape: shape))",
                          file: file, line: line)
        }
        return shape.reduce(1, *)
    }

    /// Integers uniformly drawn from `low..<high` (`np.random.randint(low, high, size)`).
    ///
    /// - Precondition: `low < high`, and the range fits in 32 bits.
    public mutating func randint(_ low: Int, _ high: Int, count: Int,
                                 file: StaticString = #filePath, line: UInt = #line) -> [Int] {
        guard low < high else {
            tensorFailure("randint: low (\(low)) must be below high (\(high))", file: file, line: line)
        }
        guard count >= 0 else {
            tensorFailure("randint: count \(count) is negative", file: file, line: line)
        }
        guard high - low - 1 <= Int(UInt32.max) else {
            tensorFailure("randint: the range \(low)..<\(high) is wider than 2³²", file: file, line: line)
        }
        let maximum = UInt32(high - low - 1)
        return (0..<count).map { _ in low + Int(nextInteger(upTo: maximum)) }
    }

    /// One integer uniformly drawn from `low..<high` (`np.random.randint(low, high)`).
    public mutating func randint(_ low: Int, _ high: Int, file: StaticString = #filePath, line: UInt = #line) -> Int {
        randint(low, high, count: 1, file: file, line: line)[0]
    }

    /// Shuffles an array in place (`np.random.shuffle(x)` for a 1-d array).
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for index in stride(from: elements.count - 1, through: 1, by: -1) {
            let other = Int(nextInteger(upTo: UInt32(index)))
            elements.swapAt(index, other)
        }
    }

    /// The numbers `0..<n` in random order (`np.random.permutation(n)`).
    public mutating func permutation(_ n: Int) -> [Int] {
        var values = Array(0..<n)
        shuffle(&values)
        return values
    }
}

/// The global generator, like the functions of `np.random`: `Random.seed(42)`, then
/// `Random.randn(7, 16)`. Lessons that want their own stream use a ``RandomState``.
public enum Random {
    /// NumPy seeds its global generator from the operating system; a lesson must be reproducible,
    /// so ours starts from seed 0 until `seed(_:)` is called.
    nonisolated(unsafe) public static var global = RandomState(seed: 0)

    /// Reseeds the global generator (`np.random.seed(seed)`).
    public static func seed(_ seed: UInt32) { global.reseed(seed) }

    /// `np.random.rand(d0, d1, …)` from the global generator.
    public static func rand(_ shape: Int..., dtype: DType = .float64,
                              file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        global.rand(shape: shape, dtype: dtype, file: file, line: line)
    }

    /// `np.random.randn(d0, d1, …)` from the global generator.
    public static func randn(_ shape: Int..., dtype: DType = .float64,
                              file: StaticString = #filePath, line: UInt = #line) -> Tensor {
        global.randn(shape: shape, dtype: dtype, file: file, line: line)
    }

    /// `np.random.randint(low, high, size)` from the global generator.
    public static func randint(_ low: Int, _ high: Int, count: Int,
                               file: StaticString = #filePath, line: UInt = #line) -> [Int] {
        global.randint(low, high, count: count, file: file, line: line)
    }

    /// `np.random.permutation(n)` from the global generator.
    public static func permutation(_ n: Int) -> [Int] { global.permutation(n) }

    /// `np.random.shuffle(x)` from the global generator.
    public static func shuffle<Element>(_ elements: inout [Element]) { global.shuffle(&elements) }
}
