import LessonProtocol
import Testing

@Suite struct RecordStreamTests {
    let token = "secret"

    @Test func textAndRecordsKeepTheirOrderAcrossChunkBoundaries() {
        var bytes: [UInt8] = Array("hello ".utf8)
        bytes += RecordFraming.encode(.cellStarted(cell: 2), token: token)
        bytes += Array("inside\n".utf8)
        bytes += RecordFraming.encode(.cellFinished(cell: 2), token: token)
        // Feed one byte at a time: records split anywhere must still be recognised.
        var parser = RecordStreamParser(token: token)
        var events: [StreamEvent] = []
        for byte in bytes { events += parser.consume([byte]) }
        events += parser.finish()
        let merged = merge(events)
        #expect(merged == [
            .text(Array("hello ".utf8)), .record(.cellStarted(cell: 2)),
            .text(Array("inside\n".utf8)), .record(.cellFinished(cell: 2)),
        ])
    }

    @Test func printedImitationsStayText() {
        var parser = RecordStreamParser(token: token)
        var imitation: [UInt8] = [RecordFraming.separator]
        imitation += Array("guess {\"finished\":{}}\n".utf8)
        var events = parser.consume(imitation)
        events += parser.finish()
        #expect(merge(events) == [.text(imitation)])
    }

    @Test func aTruncatedRecordAtTheEndIsText() {
        var parser = RecordStreamParser(token: token)
        let partial = Array(RecordFraming.encode(.finished, token: token).dropLast(3))
        var events = parser.consume(partial)
        events += parser.finish()
        #expect(merge(events) == [.text(partial)])
    }

    /// Joins neighbouring text events, which a parser may deliver in pieces.
    func merge(_ events: [StreamEvent]) -> [StreamEvent] {
        var merged: [StreamEvent] = []
        for event in events {
            if case .text(let new) = event, case .text(let old)? = merged.last {
                merged[merged.count - 1] = .text(old + new)
            } else {
                merged.append(event)
            }
        }
        return merged
    }
}
