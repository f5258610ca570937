import Foundation
import Hummingbird

/// The portal's own stylesheet and script (no CDN), loaded once from the bundle and served
/// from memory with a short cache lifetime.
enum AssetRoutes {
    static let files = [
        "portal.css": "text/css; charset=utf-8", "enroll.js": "text/javascript; charset=utf-8",
        // The document 05_電子証明書失効 asks the customer to read (made by Tools/voice_phishing_pdf.py).
        "voice-phishing-warning.pdf": "application/pdf",
    ]

    static func add(to router: Router<SecureRequestContext>) throws {
        for (name, type) in files {
            guard let url = Bundle.module.url(forResource: "Assets/\(name)", withExtension: nil) else {
                throw PageRenderer.LoadError.bundledPagesMissing
            }
            let bytes = try Data(contentsOf: url)
            router.get("/assets/\(name)") { _, _ in
                Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=3600"],
                         body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
        }
    }
}
