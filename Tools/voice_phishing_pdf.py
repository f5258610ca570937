"""Writes Sources/ShomeiWeb/Assets/voice-phishing-warning.pdf, the document the revocation
application (05) asks the customer to read ("ボイスフィッシング詐欺にご注意ください").

A one-page PDF 1.4 with the text in the standard Japanese font HeiseiKakuGo-W5 (Adobe-Japan1,
UniJIS-UCS2-H), which every PDF viewer supplies, so nothing is embedded and the file stays
small. Run: python3 Tools/voice_phishing_pdf.py"""

import os

LINES = [
    (20, "ボイスフィッシング詐欺にご注意ください"),
    (12, ""),
    (12, "金融機関の職員や警察、システム会社などを名乗る電話で、"),
    (12, "法人インターネットバンキングの電子証明書の発行・更新・失効や、"),
    (12, "ログインパスワード・アクティベーションコードの入力を求める詐欺が発生しています。"),
    (12, ""),
    (12, "・当金庫が電話やメールで電子証明書の操作やパスワードの入力をお願いすることはありません。"),
    (12, "・電話で案内されたウェブサイトやアプリで操作しないでください。"),
    (12, "・電子証明書の発行・更新・失効のたびに、利用者とマスターユーザーへメールをお送りします。"),
    (12, "　身に覚えのないメールを受け取った場合は、すぐにお取引店へご連絡ください。"),
    (12, ""),
    (12, "不審な電話を受けた場合は操作をせず、通帳やお取引店で確認した電話番号へご連絡ください。"),
    (12, ""),
    (10, "Beware of voice-phishing fraud: the bank never asks by phone or e-mail to issue, renew or"),
    (10, "revoke a certificate or to enter a password. If in doubt, call your branch."),
]


def utf16(text):
    return text.encode("utf-16-be").hex().upper()


def content():
    ops = ["BT"]
    y = 780
    for size, text in LINES:
        if text:
            font = "F2" if text.isascii() else "F1"
            shown = "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")" if font == "F2" else "<" + utf16(text) + ">"
            ops.append(f"/{font} {size} Tf 1 0 0 1 50 {y} Tm {shown} Tj")
        y -= size + 12
    ops.append("ET")
    return "\n".join(ops).encode("ascii")


def build():
    stream = content()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R /F2 8 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /HeiseiKakuGo-W5 /Encoding /UniJIS-UCS2-H /DescendantFonts [6 0 R] >>",
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /HeiseiKakuGo-W5 "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /HeiseiKakuGo-W5 /Flags 4 /FontBBox [-92 -250 1010 922] "
        b"/ItalicAngle 0 /Ascent 752 /Descent -221 /CapHeight 737 /StemV 114 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


if __name__ == "__main__":
    target = os.path.join(os.path.dirname(__file__), "..", "Sources", "ShomeiWeb", "Assets", "voice-phishing-warning.pdf")
    with open(target, "wb") as f:
        f.write(build())
    print(os.path.normpath(target))
