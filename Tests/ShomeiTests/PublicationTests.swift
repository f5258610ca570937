import Foundation
@testable import ShomeiWeb
import Testing

/// The plain-HTTP publication listener: its hand-written pieces (the Date header, the OCSP GET
/// path decoder) against Foundation as the peer, and the whole listener against a raw-socket
/// client and openssl.
@Suite struct PublicationTests {
    @Test func httpDateMatchesFoundationsFormatterAndRFC9110sExample() {
        #expect(HTTPDate.format(Date(timeIntervalSince1970: 784_111_777)) == "Sun, 06 Nov 1994 08:49:37 GMT")
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        for _ in 0..<2000 {
            let second = Date(timeIntervalSince1970: Double(Int.random(in: 0...4_102_444_800)))
            #expect(HTTPDate.format(second) == formatter.string(from: second))
            // A fraction is cut, not rounded (ICU rounds): the header never names a second to come.
            #expect(HTTPDate.format(second.addingTimeInterval(Double.random(in: 0..<1))) == formatter.string(from: second))
        }
    }

    @Test func ocspGETPathDecodesWhateverClientsEscapeAndRefusesTheRest() {
        for _ in 0..<1000 {
            let der = (0..<Int.random(in: 1...300)).map { _ in UInt8.random(in: 0...255) }
            let base64 = Data(der).base64EncodedString()
            let escaped = base64.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let partly = base64.replacingOccurrences(of: "/", with: "%2F")
            for path in [base64, escaped, partly] {
                #expect(PublicationEndpoints.decodeBase64Path(Substring(path)) == der, "\(path)")
            }
        }
        for garbage in ["", "!!notbase64", "%zz", "QUJD%", "QUJ", "Q===="] {
            #expect(PublicationEndpoints.decodeBase64Path(Substring(garbage)) == nil || garbage.isEmpty, "\(garbage)")
        }
    }

    @Test func listenerAnswersOddClientsOnTheWire() async throws {
        let op = CLITests.Operator()
        let server = try await CLITests.ServeProcess(op)
        defer { server.stop() }
        let request = op.folder.file("unknown.der").path
        try run(["openssl", "ocsp", "-issuer", op.folder.file("data/ca/issuing.pem").path, "-serial", "0x1234",
                 "-no_nonce", "-reqout", request])
        let peer = try run(["/usr/bin/python3", Peers.path("http_wire_check.py"), String(server.port), request])
        #expect(peer.status == 0, "\(peer.stdout)\(peer.stderr)")
    }
}
