import Foundation
import Testing

/// Login behind a TLS-terminating reverse proxy (SPEC §4), with Debian's nginx as the proxy: nginx
/// checks the client certificate and passes it URL-encoded in `X-SSL-Client-Cert`; Shomei
/// believes that header only on connections from the proxy's address (127.0.0.2 here, which
/// nginx binds to; curl on its own comes from 127.0.0.1).
@Suite struct ProxyTests {
    static let nginx = "/usr/sbin/nginx"
    static let nginxAvailable = FileManager.default.isExecutableFile(atPath: nginx)

    @Test(.enabled(if: !nginxAvailable))
    func proxySkipped() {
        print("NOTE: login behind a proxy SKIPPED: /usr/sbin/nginx not found (bash .ci/run installs nginx-light).")
    }

    @Test(.enabled(if: nginxAvailable))
    func certificateLoginBehindNginxBelievesOnlyTheProxy() async throws {
        var site = try await PortalTests.Installation { ["--proxy-port", String($0.proxyPort), "--trusted-proxy", "127.0.0.2"] }
        defer { site.server.stop() }
        let proxy = try NginxProxy(folder: site.op.folder, upstreamPort: site.server.proxyPort)
        defer { proxy.stop() }
        site.base = "https://localhost:\(proxy.port)"

        // U1 through nginx: the holder is named, the password opens a session, the pages work.
        let u1 = site.browser("U1")
        let page = try u1.request("/login")
        #expect(page.status == 200 && page.body.contains(#"id="contract-id">C1<"#) && page.body.contains(#"id="user-id">U1<"#),
                "\(page.status) \(page.body.prefix(400))")
        #expect(try u1.logIn().status == 303)
        #expect(try u1.request("/portal/certificate").body.contains(#"id="serial">"#))
        // The session stays bound to the certificate nginx passes.
        var thief = u1
        thief.user = "U2"
        #expect(try thief.request("/portal/notices").headers.contains("/login?ended=certificateChanged"))

        // Without a certificate, a header the client forges is overwritten by nginx: no holder.
        let pem = try String(contentsOf: site.op.folder.file("cred-U1/certificate.pem"), encoding: .utf8)
        let escaped = try #require(pem.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let forged = try site.browser(nil).request("/login", headers: ["X-SSL-Client-Cert: \(escaped)"])
        #expect(forged.status == 200 && !forged.body.contains(#"id="user-id">U1<"#))

        // Straight to the proxied port, not from the proxy: refused whatever the header says.
        let direct = try run(["curl", "-s", "-w", "\n%{http_code}", "-H", "X-SSL-Client-Cert: \(escaped)",
                              "http://127.0.0.1:\(site.server.proxyPort)/login"])
        #expect(direct.stdout.hasSuffix("\n403") && direct.stdout.contains("proxy only"), "\(direct.stdout)")

        // A revocation is seen behind the proxy at once, like natively.
        let printed = try run(["openssl", "x509", "-noout", "-serial", "-in", site.op.folder.file("cred-U2/certificate.pem").path]).stdout
        let serial = String(printed.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("serial=".count))
        #expect(try site.op.shomei("cert", "revoke", serial, "--reason", "keyCompromise").status == 0)
        let revoked = try site.browser("U2").request("/login")
        #expect(revoked.status == 403 && revoked.body.contains("失効"))
    }
}

/// Debian's nginx terminating TLS with Shomei's development server certificate, asking for a
/// client certificate of our CA (optional, as Shomei's own listener does), and forwarding to the
/// proxied port from 127.0.0.2 with the certificate in the header, the documented configuration.
struct NginxProxy {
    let port = FreePort.next()
    let process = Process()

    init(folder: TemporaryFolder, upstreamPort: Int) throws {
        let data = folder.file("data").path
        let clientCAs = folder.file("client-cas.pem").path
        let issuing = try String(contentsOfFile: "\(data)/ca/issuing.pem", encoding: .utf8)
        try (issuing + (try String(contentsOfFile: "\(data)/ca/root.pem", encoding: .utf8))).write(toFile: clientCAs, atomically: true, encoding: .utf8)
        let prefix = folder.file("nginx").path
        try FileManager.default.createDirectory(atPath: prefix, withIntermediateDirectories: true)
        let configuration = """
            daemon off;
            master_process off;
            pid \(prefix)/nginx.pid;
            error_log \(prefix)/error.log;
            events { worker_connections 64; }
            http {
              access_log off;
              client_body_temp_path \(prefix)/body;
              proxy_temp_path \(prefix)/proxy;
              server {
                listen 127.0.0.1:\(port) ssl;
                ssl_certificate \(data)/tls/server.pem;
                ssl_certificate_key \(data)/tls/server.key.pem;
                ssl_client_certificate \(clientCAs);
                ssl_verify_client optional;
                ssl_verify_depth 2;
                location / {
                  proxy_pass http://127.0.0.1:\(upstreamPort);
                  proxy_bind 127.0.0.2;
                  proxy_set_header Host $host;
                  proxy_set_header X-SSL-Client-Cert $ssl_client_escaped_cert;
                }
              }
            }
            """
        try configuration.write(toFile: "\(prefix)/nginx.conf", atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: ProxyTests.nginx)
        process.arguments = ["-p", prefix, "-e", "\(prefix)/error.log", "-c", "\(prefix)/nginx.conf"]
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<50 {
            if try run(["curl", "-s", "-o", "/dev/null", "-k", "https://127.0.0.1:\(port)/health"]).status == 0 { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        Issue.record("nginx did not start: \((try? String(contentsOfFile: "\(prefix)/error.log", encoding: .utf8)) ?? "")")
    }

    /// SIGKILL: nginx in single-process mode (`master_process off`) does not stop on SIGTERM.
    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
