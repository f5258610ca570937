import Foundation
import ShomeiDomain

/// An RFC 5322 message with a UTF-8 body, as it goes into SMTP DATA.
///
/// Japanese text needs two encodings: header words as RFC 2047 encoded-words (`=?UTF-8?B?…?=`,
/// each at most 75 characters and never splitting a character), and the body as base64 lines of
/// 76 characters, which any relay passes through unchanged (no 8BITMIME needed).
public struct InternetMessage: Sendable, Equatable {
    public let from: String
    public let to: String
    public let subject: String
    public let body: String
    public let date: Date
    public let messageID: String

    public init(from: String, to: String, subject: String, body: String, date: Date, messageID: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
        self.messageID = messageID
    }

    /// The message text with CRLF line ends.
    public var rendered: String {
        let domain = from.split(separator: "@").last.map(String.init) ?? "localhost"
        let headers = [
            "From: \(from)",
            "To: \(to)",
            "Subject: \(Self.encodedHeader(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID)@\(domain)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
        ]
        let normalised = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        return (headers + [""] + Self.base64Lines(Array(normalised.utf8))).joined(separator: "\r\n") + "\r\n"
    }

    /// ASCII text stays as it is; anything else becomes encoded-words folded onto continuation lines.
    static func encodedHeader(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 }) && !text.contains("=?") { return text }
        return encodedWordChunks(text).map { "=?UTF-8?B?\(Data($0).base64EncodedString())?=" }
            .joined(separator: "\r\n ")
    }

    /// 36 bytes make 48 base64 characters: a 60-character word, so even the first line
    /// (`Subject: ` + word) stays within RFC 5322's 78.
    static func encodedWordChunks(_ text: String, maxBytes: Int = 36) -> [[UInt8]] {
        var chunks: [[UInt8]] = [[]]
        // By Unicode scalar, not grapheme: a long emoji sequence could exceed one word's bytes.
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunks[chunks.count - 1].count + bytes.count > maxBytes { chunks.append([]) }
            chunks[chunks.count - 1] += bytes
        }
        return chunks
    }

    static func base64Lines(_ bytes: [UInt8]) -> [String] {
        let encoded = Data(bytes).base64EncodedString()
        return stride(from: 0, to: encoded.count, by: 76).map { start in
            let from = encoded.index(encoded.startIndex, offsetBy: start)
            return String(encoded[from..<(encoded.index(from, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex)])
        }
    }

    /// `Mon, 23 Nov 2026 01:00:00 +0000`: RFC 5322 §3.3, in UTC.
    static func rfc5322Date(_ date: Date) -> String {
        let moment = CivilMoment.utc(date), day = moment.day
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(day.weekday.englishAbbreviation), \(two(day.day)) \(day.englishMonthAbbreviation) \(day.year) "
            + "\(two(moment.hour)):\(two(moment.minute)):\(two(moment.second)) +0000"
    }
}
