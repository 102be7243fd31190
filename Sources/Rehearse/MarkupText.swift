/// Text and attribute values for the XML and HTML reports: the five markup characters as
/// entities, and control characters other than tab and newline dropped (XML 1.0 cannot carry
/// them; a command's output may hold any byte).
package enum MarkupText {
    package static func escape(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n": out.unicodeScalars.append(ch)
            default: if ch.value >= 0x20 { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }
}
