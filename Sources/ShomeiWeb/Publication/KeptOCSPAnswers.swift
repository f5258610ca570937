import ShomeiRevocation
import Synchronization

/// GET `/ocsp/…` answers kept by their exact path, so a repeated request (the RFC 5019 case:
/// many relying parties asking about the same certificate) is answered without decoding or
/// parsing it. Each entry is given only while the responder says its answer is current, so a
/// revocation ends it at the same moment as the responder's own cache.
final class KeptOCSPAnswers: Sendable {
    private struct Entry {
        let answer: OCSPAnswer
        let response: PublicationResponse
    }

    private let entries = Mutex<[String: Entry]>([:])
    /// Beyond this many paths the table starts over (bounded memory against random paths).
    static let limit = 100_000

    /// The kept response for this path, and what it says, while the responder says it is current.
    func response(for path: String, responder: OCSPResponder) -> (response: PublicationResponse, status: OCSPAnswer.Status)? {
        guard let entry = entries.withLock({ $0[path] }), responder.isCurrent(entry.answer) else { return nil }
        return (entry.response, entry.answer.status)
    }

    func keep(_ response: PublicationResponse, answering answer: OCSPAnswer, for path: String, responder: OCSPResponder) {
        guard responder.isCurrent(answer) else { return }
        entries.withLock { entries in
            if entries.count >= Self.limit { entries.removeAll() }
            entries[path] = Entry(answer: answer, response: response)
        }
    }
}
