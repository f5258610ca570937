import Foundation
import ShomeiDomain

/// Where the application forms come from: the definitions bundled with Shomei (`Forms/*.json`:
/// 01–05), then the bank's own folder, whose file for an ID replaces the bundled one and whose
/// other files add forms — so a bank offers 01, 02 or 04, or a form of its own, without code.
/// Everything is checked by `FormCatalog` before the server takes a request.
public enum ApplicationFormFiles {
    /// The bundled forms, then every `*.json` in `folder` (absent: none).
    public static func load(bankFolder folder: URL?) throws(ShomeiError) -> FormCatalog {
        guard let bundled = Bundle.module.url(forResource: "Forms", withExtension: nil) else {
            throw .invalidConfiguration("the bundled application forms were not found")
        }
        var forms: [String: (source: String, form: FormDefinition)] = [:]
        for (source, form) in try read(bundled, naming: { "bundled form \($0)" }) { forms[form.id] = (source, form) }
        if let folder {
            var own: [String: String] = [:]
            for (source, form) in try read(folder, naming: { folder.appendingPathComponent($0).path }) {
                if let earlier = own[form.id] { throw .invalidConfiguration("\(source): form \(form.id) is also defined in \(earlier)") }
                own[form.id] = source
                forms[form.id] = (source, form)
            }
        }
        return try FormCatalog(Array(forms.values))
    }

    /// Every `*.json` of `folder` in name order, decoded; a folder that is not there holds none.
    private static func read(_ folder: URL, naming describe: (String) -> String) throws(ShomeiError) -> [(String, FormDefinition)] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
            throw .invalidConfiguration("\(folder.path): the folder cannot be read")
        }
        var forms: [(String, FormDefinition)] = []
        for name in names.sorted() where name.hasSuffix(".json") {
            let source = describe(name)
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
                throw .invalidConfiguration("\(source): cannot be read")
            }
            forms.append((source, try FormCatalog.decode(data, source: source)))
        }
        return forms
    }
}
