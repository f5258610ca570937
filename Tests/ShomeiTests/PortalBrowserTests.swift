import Foundation
import Testing

/// The portal in real headless Chromium (Debian's chromium + chromium-driver + python3-selenium),
/// driven by the Python scripts in `Peers/`. Without those packages the scripts print
/// `SKIPPED: …`, which is echoed here so the skip is visible.
@Suite(.serialized) struct PortalBrowserTests {
    /// Runs a peer script with Debian's python3 (where python3-selenium lives).
    static func runScript(_ name: String, _ arguments: [String]) throws -> ProcessResult {
        let result = try run(["/usr/bin/python3", Peers.path(name)] + arguments)
        if result.stdout.contains("SKIPPED") { print("\(name): \(result.stdout)") }
        return result
    }

    /// The page script alone: key pair, CSR and PKCS#12 made in the browser, read by openssl
    /// and Python `cryptography`, and the form wiring against a stand-in endpoint.
    @Test func pageScriptMakesCSRsAndPKCS12ThatPeersRead() throws {
        let work = TemporaryFolder()
        let script = Peers.folder.appendingPathComponent("../../../Sources/ShomeiWeb/Assets/enroll.js").standardized.path
        let result = try Self.runScript("webcrypto_check.py", ["--script", script, "--work", work.url.path])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    }

    /// The browser scenarios against `shomei serve`: certificate + password login, wrong
    /// password, revoked certificate, renewal in the page with the PKCS#12 checked by openssl,
    /// login with the new certificate and refusal of the old one.
    @Test func portalScenariosInChromium() throws {
        let work = TemporaryFolder()
        let result = try Self.runScript("portal_browser.py", ["--shomei", CLITests.binary, "--work", work.url.path])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    }
}
