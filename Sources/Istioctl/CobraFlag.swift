import Foundation
import JSON

/// One command-line flag as spf13/pflag defines it: a long name, an optional one-letter shorthand,
/// a value type (which decides whether the flag needs a value and how its usage line reads), a
/// default and a usage text. istioctl's commands are declared with these so that parsing, errors
/// and `--help` come out as pflag's (`flag.go`, `string.go`, `bool.go`, … @v1.0.5).
struct CobraFlag: Sendable, Hashable {
    /// pflag's value types the emulated commands use; the raw value is pflag's `Type()`.
    enum Kind: String, Sendable, Hashable {
        case string, bool, int, stringArray, stringSlice, duration
    }

    var name: String
    var shorthand: Character?
    var kind: Kind
    var defaultValue: String
    var usage: String
    var hidden = false

    init(name: String, shorthand: Character?, kind: Kind, default defaultValue: String?, usage: String, hidden: Bool) {
        self.name = name
        self.shorthand = shorthand
        self.kind = kind
        self.defaultValue = defaultValue ?? kind.zero
        self.usage = usage
        self.hidden = hidden
    }

    init(_ name: String, _ usage: String, hidden: Bool = false) {
        self.init(name: name, shorthand: nil, kind: .string, default: nil, usage: usage, hidden: hidden)
    }

    init(_ name: String, _ shorthand: Character?, _ usage: String) {
        self.init(name: name, shorthand: shorthand, kind: .string, default: nil, usage: usage, hidden: false)
    }

    init(_ name: String, _ shorthand: Character?, _ kind: Kind, _ usage: String) {
        self.init(name: name, shorthand: shorthand, kind: kind, default: nil, usage: usage, hidden: false)
    }

    init(_ name: String, _ shorthand: Character?, _ kind: Kind = .string, default defaultValue: String, _ usage: String) {
        self.init(name: name, shorthand: shorthand, kind: kind, default: defaultValue, usage: usage, hidden: false)
    }

    init(_ name: String, default defaultValue: String, _ usage: String) {
        self.init(name: name, shorthand: nil, kind: .string, default: defaultValue, usage: usage, hidden: false)
    }

    static func bool(_ name: String, _ shorthand: Character?, default value: Bool = false, _ usage: String) -> Self {
        CobraFlag(name: name, shorthand: shorthand, kind: .bool, default: String(value), usage: usage, hidden: false)
    }

    static func bool(_ name: String, default value: Bool = false, _ usage: String) -> Self {
        CobraFlag(name: name, shorthand: nil, kind: .bool, default: String(value), usage: usage, hidden: false)
    }

    /// A boolean takes no separate value (`NoOptDefVal` "true"); `--flag=false` still works.
    var takesValue: Bool { kind != .bool }

    /// Checks a value as the type's `Set` does; the error is pflag's reason.
    func check(_ value: String) -> String? {
        switch kind {
        case .bool: return Self.goBool(value) == nil ? "strconv.ParseBool: parsing \(value.goQuoted): invalid syntax" : nil
        case .int: return Int(value) == nil ? "strconv.ParseInt: parsing \(value.goQuoted): invalid syntax" : nil
        case .duration: return GoDuration.seconds(value) == nil ? "time: invalid duration \(value.goQuoted)" : nil
        case .string, .stringArray, .stringSlice: return nil
        }
    }

    /// Go's `strconv.ParseBool`.
    static func goBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": true
        case "0", "f", "F", "FALSE", "false", "False": false
        default: nil
        }
    }

    /// The flag's line in `FlagUsages`, split where pflag puts its `\x00` column mark.
    var usageColumns: (left: String, right: String) {
        var left = shorthand.map { "  -\($0), --\(name)" } ?? "      --\(name)"
        var text = usage
        var varname = kind.varname
        // pflag's UnquoteUsage: a `backquoted` word in the usage names the value.
        if let open = usage.firstIndex(of: "`"), let close = usage[usage.index(after: open)...].firstIndex(of: "`") {
            varname = String(usage[usage.index(after: open)..<close])
            text = usage.replacingCharacters(in: open...close, with: varname)
        }
        if !varname.isEmpty { left += " " + varname }
        if defaultValue != kind.zero, !(kind == .duration && defaultValue == "0") {
            text += kind == .string ? " (default \(defaultValue.goQuoted))" : " (default \(defaultValue))"
        }
        return (left, text)
    }
}

extension CobraFlag.Kind {
    /// pflag's `DefValue` of a zero value (`defaultIsZeroValue`).
    var zero: String {
        switch self {
        case .string: ""
        case .bool: "false"
        case .int: "0"
        case .stringArray, .stringSlice: "[]"
        case .duration: "0s"
        }
    }

    /// The value's name in a usage line (`UnquoteUsage`): the type, with pflag's renames.
    var varname: String {
        switch self {
        case .bool: ""
        case .stringSlice: "strings"
        default: rawValue
        }
    }
}

extension [CobraFlag] {
    /// pflag's `FlagUsages`: visible flags sorted by name, the usage column aligned one space
    /// past the widest left column (Go's `Fprintln` puts a space between its operands).
    var flagUsages: String {
        let visible = filter { !$0.hidden }.sorted { $0.name < $1.name }.map(\.usageColumns)
        let width = (visible.map(\.left.count).max() ?? 0) + 1
        // pflag's `wrap` with no width: a usage's own line breaks continue in the usage column.
        let continuation = "\n" + String(repeating: " ", count: width + 2)
        return visible.map { line in
            line.left + " " + String(repeating: " ", count: width - line.left.count) + " "
                + line.right.replacingOccurrences(of: "\n", with: continuation)
        }.joined(separator: "\n")
    }
}

/// The values one invocation gave its flags (defaults for the rest), read by name.
struct FlagValues: Sendable {
    private(set) var flags: [String: CobraFlag] = [:]
    /// Values in the order given; a slice flag's `a,b` is split.
    private(set) var given: [String: [String]] = [:]

    init(_ flags: [CobraFlag]) {
        for flag in flags where self.flags[flag.name] == nil { self.flags[flag.name] = flag }
    }

    mutating func set(_ flag: CobraFlag, _ value: String) {
        let parts = flag.kind == .stringSlice ? value.split(separator: ",").map(String.init) : [value]
        given[flag.name, default: []] += parts
    }

    /// Whether the flag was on the command line (pflag's `Changed`).
    func changed(_ name: String) -> Bool { given[name] != nil }

    func string(_ name: String) -> String { given[name]?.last ?? flags[name]?.defaultValue ?? "" }

    /// The value when given, nil otherwise (for flags whose absence means something).
    func optional(_ name: String) -> String? { given[name]?.last }

    func bool(_ name: String) -> Bool { CobraFlag.goBool(string(name)) ?? false }

    func int(_ name: String) -> Int { Int(string(name)) ?? 0 }

    func strings(_ name: String) -> [String] { given[name] ?? [] }
}

/// Go's `time.ParseDuration` for the units istioctl's flags see (`300s`, `5m`, `5m0s`, `1h`).
enum GoDuration {
    static func seconds(_ text: String) -> Double? {
        if text == "0" { return 0 }
        var total = 0.0, number = "", sawUnit = false
        var chars = Array(text)[...]
        while let c = chars.first {
            chars = chars.dropFirst()
            if c.isNumber || c == "." { number.append(c); continue }
            guard let n = Double(number) else { return nil }
            var unit = String(c)
            if c == "m", chars.first == "s" { unit = "ms"; chars = chars.dropFirst() }
            switch unit {
            case "h": total += n * 3600
            case "m": total += n * 60
            case "s": total += n
            case "ms": total += n / 1000
            default: return nil
            }
            number = ""
            sawUnit = true
        }
        return number.isEmpty && sawUnit ? total : nil
    }
}
