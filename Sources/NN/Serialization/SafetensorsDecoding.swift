import Foundation
import TensorCore

/// Reads the bytes of a safetensors file (layout in ``SafetensorsEncoding``), checking everything
/// a damaged or foreign file could get wrong before touching the data, so that a bad file is an
/// error and never a crash or a read out of bounds.
///
/// The checks are the reference library's: the header length fits in the file; the header is a
/// JSON object whose entries each have a known dtype, a shape of counts ≥ 0 and two data_offsets
/// `begin ≤ end` inside the data; each tensor spans exactly the bytes its shape and dtype need;
/// and the tensors, taken in offset order, tile the data with no overlap, gap or leftover byte.
enum SafetensorsDecoding {
    /// One tensor's entry in the header, checked.
    private struct Entry {
        var name: String
        var stored: StoredElementType
        var shape: [Int]
        var bytes: Range<Int>
    }

    /// The tensors and metadata of a file's bytes.
    ///
    /// - Throws: a ``ParameterFileError/Problem`` for a malformed file.
    static func decode(_ file: Data) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        guard file.count >= 8 else { throw ParameterFileError.Problem.truncated(byteCount: file.count) }
        return try file.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let headerLength = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
            let available = raw.count - 8
            guard headerLength <= UInt64(available) else {
                throw ParameterFileError.Problem.headerTooLong(headerLength: headerLength, bytesAfterLength: available)
            }
            let dataStart = 8 + Int(headerLength)
            let header = try parseHeader(Data(raw[8..<dataStart]))
            let data = UnsafeRawBufferPointer(rebasing: raw[dataStart...])
            let entries = try header.entries.map { try checkedEntry($0.name, $0.entry, dataByteCount: data.count) }
            try checkTiling(entries, dataByteCount: data.count)
            var tensors: [String: Tensor] = [:]
            for entry in entries {
                let bytes = UnsafeRawBufferPointer(rebasing: data[entry.bytes])
                tensors[entry.name] = TensorBytes.tensor(from: bytes, stored: entry.stored, shape: entry.shape)
            }
            return (tensors, header.metadata)
        }
    }

    // MARK: The header as JSON

    /// A header entry as written, before any check but its JSON types.
    private struct RawEntry: Decodable {
        var dtype: String
        var shape: [Int]
        var dataOffsets: [Int]

        enum CodingKeys: String, CodingKey {
            case dtype, shape
            case dataOffsets = "data_offsets"
        }

        /// A message naming the field when one is missing or of the wrong JSON type.
        struct FieldProblem: Error { var reason: String }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            dtype = try Self.field(container, .dtype, expected: "a string such as \"F32\"")
            shape = try Self.field(container, .shape, expected: "a list of whole numbers")
            dataOffsets = try Self.field(container, .dataOffsets, expected: "a list of two whole numbers")
        }

        private static func field<Value: Decodable>(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys,
                                                    expected: String) throws -> Value {
            guard container.contains(key) else { throw FieldProblem(reason: "\"\(key.rawValue)\" is missing") }
            do {
                return try container.decode(Value.self, forKey: key)
            } catch {
                throw FieldProblem(reason: "\"\(key.rawValue)\" must be \(expected)")
            }
        }
    }

    /// Any key of the header object.
    private struct HeaderKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// The header: its tensor entries (sorted by name, so the first problem reported is always
    /// the same one) and its metadata.
    private struct RawHeader: Decodable {
        var entries: [(name: String, entry: RawEntry)] = []
        var metadata: [String: String] = [:]

        init(from decoder: any Decoder) throws {
            let container: KeyedDecodingContainer<HeaderKey>
            do {
                container = try decoder.container(keyedBy: HeaderKey.self)
            } catch {
                throw ParameterFileError.Problem.invalidHeader(reason: "it is JSON but not an object of named tensors")
            }
            for key in container.allKeys.sorted(by: { $0.stringValue.utf8.lexicographicallyPrecedes($1.stringValue.utf8) }) {
                if key.stringValue == "__metadata__" {
                    do {
                        metadata = try container.decode([String: String].self, forKey: key)
                    } catch {
                        throw ParameterFileError.Problem.invalidHeader(reason: "\"__metadata__\" must map strings to strings")
                    }
                    continue
                }
                do {
                    entries.append((key.stringValue, try container.decode(RawEntry.self, forKey: key)))
                } catch let problem as RawEntry.FieldProblem {
                    throw ParameterFileError.Problem.invalidEntry(name: key.stringValue, reason: problem.reason)
                } catch {
                    throw ParameterFileError.Problem.invalidEntry(
                        name: key.stringValue, reason: "it must be an object with \"dtype\", \"shape\" and \"data_offsets\"")
                }
            }
        }
    }

    private static func parseHeader(_ bytes: Data) throws -> RawHeader {
        do {
            return try JSONDecoder().decode(RawHeader.self, from: bytes)
        } catch let problem as ParameterFileError.Problem {
            throw problem
        } catch {
            throw ParameterFileError.Problem.invalidHeader(reason: "it is not valid JSON text")
        }
    }

    // MARK: Checks

    /// The entry with its dtype known and its offsets and byte count checked against the data.
    private static func checkedEntry(_ name: String, _ raw: RawEntry, dataByteCount: Int) throws -> Entry {
        typealias Problem = ParameterFileError.Problem
        guard let stored = StoredElementType(safetensorsName: raw.dtype) else {
            throw Problem.unsupportedDType(name: name, dtype: raw.dtype)
        }
        guard raw.shape.allSatisfy({ $0 >= 0 }) else {
            throw Problem.invalidEntry(name: name, reason: "\"shape\" \(raw.shape) has a negative length")
        }
        guard raw.dataOffsets.count == 2 else {
            throw Problem.invalidEntry(name: name, reason: "\"data_offsets\" must hold two numbers, begin and end, not \(raw.dataOffsets.count)")
        }
        let (begin, end) = (raw.dataOffsets[0], raw.dataOffsets[1])
        guard begin >= 0, begin <= end else {
            throw Problem.invalidEntry(name: name, reason: "\"data_offsets\" [\(begin), \(end)] must have 0 ≤ begin ≤ end")
        }
        guard end <= dataByteCount else {
            throw Problem.dataOutOfRange(name: name, begin: begin, end: end, dataByteCount: dataByteCount)
        }
        // A shape like [2⁴⁰, 2⁴⁰] would overflow: it cannot fit in the data anyway.
        var needed = stored.byteWidth
        for length in raw.shape {
            let (product, overflow) = needed.multipliedReportingOverflow(by: length)
            guard !overflow else {
                throw Problem.invalidEntry(name: name, reason: "\"shape\" \(raw.shape) holds more elements than any file can")
            }
            needed = product
        }
        guard needed == end - begin else {
            throw Problem.wrongByteCount(name: name, expected: needed, actual: end - begin)
        }
        return Entry(name: name, stored: stored, shape: raw.shape, bytes: begin..<end)
    }

    /// Checks that the tensors, in offset order, cover the data exactly once.
    private static func checkTiling(_ entries: [Entry], dataByteCount: Int) throws {
        let ordered = entries.sorted { ($0.bytes.lowerBound, $0.bytes.upperBound) < ($1.bytes.lowerBound, $1.bytes.upperBound) }
        // The end of the bytes claimed so far, and the tensor that reaches it.
        var covered = 0
        var reaching: Entry?
        for entry in ordered {
            if entry.bytes.lowerBound < covered, let reaching {
                throw ParameterFileError.Problem.overlappingData(name: entry.name, other: reaching.name)
            }
            if entry.bytes.lowerBound > covered {
                throw ParameterFileError.Problem.unclaimedBytes(begin: covered, end: entry.bytes.lowerBound)
            }
            covered = entry.bytes.upperBound
            reaching = entry
        }
        if covered < dataByteCount {
            throw ParameterFileError.Problem.unclaimedBytes(begin: covered, end: dataByteCount)
        }
    }
}
