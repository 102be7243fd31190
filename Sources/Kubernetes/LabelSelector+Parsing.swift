/// The `labelSelector=` query form, parsed with the API server's grammar (apimachinery's
/// `pkg/labels/selector.go`, `Parse`) and refused with its messages: a selector the API server
/// answers 400 must never select everything here (a `kubectl delete -l '!'` would hit every pod).
///
///     selector    ::= requirement | requirement "," selector
///     requirement ::= ["!"] KEY [ ("in" | "notin") "(" VALUES ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
///
/// KEY is a qualified name (`[dns-subdomain/]name`); VALUE a label value, possibly empty. `in` and
/// `notin` are keywords after a key and ordinary words where a value is expected.
extension LabelSelector {
    package init(parsing text: String) throws(WorldError) {
        var parser = SelectorParser(tokens: SelectorLexer.tokens(of: text))
        do {
            requirements = try parser.parse()
        } catch {
            throw .badRequest(error.message)
        }
    }
}

/// A parse error: the API server's message, returned as a 400 `BadRequest`.
struct SelectorSyntaxError: Error {
    var message: String
}

enum SelectorToken: Equatable {
    case end, openParen, closeParen, comma, not, equals, doubleEquals, notEquals, greaterThan, lessThan, `in`, notIn
    case identifier(String)

    static let symbols: [String: SelectorToken] = [
        "(": .openParen, ")": .closeParen, ",": .comma, "!": .not, "=": .equals, "==": .doubleEquals,
        "!=": .notEquals, ">": .greaterThan, "<": .lessThan,
    ]

    /// The text the API server quotes in its messages (`found '…'`).
    var literal: String {
        switch self {
        case .end: ""
        case .in: "in"
        case .notIn: "notin"
        case .identifier(let s): s
        default: Self.symbols.first { $0.value == self }!.key
        }
    }

    /// Where a value is expected, the keywords are plain words.
    var asValue: SelectorToken {
        switch self {
        case .in, .notIn: .identifier(literal)
        default: self
        }
    }

    var startsRequirement: Bool {
        if case .identifier = self { return true }
        return self == .not
    }
}

enum SelectorLexer {
    static func isSymbol(_ c: Character) -> Bool { "=!(),><".contains(c) }
    static func isSpace(_ c: Character) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" }

    /// Every token of `text`, ending with `.end`.
    static func tokens(of text: String) -> [SelectorToken] {
        let chars = Array(text)
        var i = 0
        var out: [SelectorToken] = []
        while true {
            while i < chars.count, isSpace(chars[i]) { i += 1 }
            guard i < chars.count else { break }
            if isSymbol(chars[i]) {
                // The longest run of symbols that is one token (`!=` before `!`); every single
                // symbol is a token, so there always is one.
                var buffer = String(chars[i])
                var token = SelectorToken.symbols[buffer]!
                i += 1
                while i < chars.count, isSymbol(chars[i]), let longer = SelectorToken.symbols[buffer + String(chars[i])] {
                    buffer.append(chars[i])
                    token = longer
                    i += 1
                }
                out.append(token)
            } else {
                var word = ""
                while i < chars.count, !isSymbol(chars[i]), !isSpace(chars[i]) {
                    word.append(chars[i])
                    i += 1
                }
                out.append(word == "in" ? .in : word == "notin" ? .notIn : .identifier(word))
            }
        }
        out.append(.end)
        return out
    }
}

/// A recursive-descent parser over the lexer's tokens, taking the same decisions in the same order
/// as the API server's, so the first error found is the one it reports.
struct SelectorParser {
    let tokens: [SelectorToken]
    var position = 0

    func peek(asValue: Bool = true) -> SelectorToken { asValue ? tokens[position].asValue : tokens[position] }

    mutating func next(asValue: Bool = true) -> SelectorToken {
        defer { position = min(position + 1, tokens.count - 1) }
        return peek(asValue: asValue)
    }

    mutating func parse() throws(SelectorSyntaxError) -> [LabelSelector.Requirement] {
        var requirements: [LabelSelector.Requirement] = []
        while true {
            let token = peek()
            if token == .end { break }
            guard token.startsRequirement else {
                throw SelectorSyntaxError(message: "found '\(token.literal)', expected: !, identifier, or 'end of string'")
            }
            do { requirements.append(try requirement()) } catch {
                throw SelectorSyntaxError(message: "unable to parse requirement: \(error.message)")
            }
            let after = next()
            if after == .end { break }
            guard after == .comma else {
                throw SelectorSyntaxError(message: "found '\(after.literal)', expected: ',' or 'end of string'")
            }
            guard peek().startsRequirement else {
                throw SelectorSyntaxError(message: "found '\(peek().literal)', expected: identifier after ','")
            }
        }
        // The API server sorts requirements by key so the same selector always reads the same.
        return requirements.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element)
    }

    private mutating func requirement() throws(SelectorSyntaxError) -> LabelSelector.Requirement {
        var token = next()
        let negated = token == .not
        if negated { token = next() }
        guard case .identifier(let key) = token else {
            throw SelectorSyntaxError(message: "found '\(token.literal)', expected: identifier")
        }
        let keyErrors = LabelSyntax.keyErrors(key)
        if !keyErrors.isEmpty {
            throw SelectorSyntaxError(message: "<nil>: Invalid value: \"\(key)\": \(keyErrors.joined(separator: "; "))")
        }
        if negated { return .doesNotExist(key) }
        if peek() == .end || peek() == .comma { return .exists(key) }
        let op = next(asValue: false)
        let values: [String]
        switch op {
        case .in, .notIn: values = try valueSet()
        case .equals, .doubleEquals, .notEquals, .greaterThan, .lessThan: values = [try exactValue()]
        default:
            throw SelectorSyntaxError(message: "found '\(op.literal)', expected: in, notin, =, ==, !=, gt, lt")
        }
        try Self.validate(values, integers: op == .greaterThan || op == .lessThan)
        switch op {
        case .in: return .isIn(key, Set(values))
        case .notIn: return .notIn(key, Set(values))
        case .notEquals: return .notEquals(key, values[0])
        case .greaterThan: return .greaterThan(key, Int64(values[0])!)
        case .lessThan: return .lessThan(key, Int64(values[0])!)
        default: return .equals(key, values[0])
        }
    }

    /// `( a, b, … )`, where empty entries are the empty value: `()` and `(,)` both mean `{""}`.
    private mutating func valueSet() throws(SelectorSyntaxError) -> [String] {
        let open = next()
        guard open == .openParen else { throw SelectorSyntaxError(message: "found '\(open.literal)' expected: '('") }
        let first = peek()
        switch first {
        case .closeParen:
            _ = next()
            return [""]
        case .identifier, .comma:
            let values = try valueList()
            // The API server quotes the token seen before the list here, not the one that failed.
            guard next() == .closeParen else { throw SelectorSyntaxError(message: "found '\(first.literal)', expected: ')'") }
            return values
        default:
            throw SelectorSyntaxError(message: "found '\(first.literal)', expected: ',', ')' or identifier")
        }
    }

    private mutating func valueList() throws(SelectorSyntaxError) -> [String] {
        var values: Set<String> = []
        while true {
            let token = next()
            switch token {
            case .identifier(let v):
                values.insert(v)
                let after = peek()
                if after == .closeParen { return values.sorted() }
                guard after == .comma else { throw SelectorSyntaxError(message: "found '\(after.literal)', expected: ',' or ')'") }
            case .comma:
                if values.isEmpty { values.insert("") }
                if peek() == .closeParen {
                    values.insert("")
                    return values.sorted()
                }
                if peek() == .comma {
                    _ = next()
                    values.insert("")
                }
            default:
                throw SelectorSyntaxError(message: "found '\(token.literal)', expected: ',', or identifier")
            }
        }
    }

    private mutating func exactValue() throws(SelectorSyntaxError) -> String {
        if peek() == .end || peek() == .comma { return "" }
        let token = next()
        guard case .identifier(let v) = token else {
            throw SelectorSyntaxError(message: "found '\(token.literal)', expected: identifier")
        }
        return v
    }

    /// The checks `NewRequirement` makes on the values, reported together as the API server's
    /// aggregate does (`[a, b]` for more than one).
    private static func validate(_ values: [String], integers: Bool) throws(SelectorSyntaxError) {
        var errors: [String] = []
        for (i, v) in values.enumerated() where integers && Int64(v) == nil {
            errors.append("values[\(i)]: Invalid value: \"\(v)\": for 'Gt', 'Lt' operators, the value must be an integer")
        }
        for (i, v) in values.enumerated() {
            let problems = LabelSyntax.valueErrors(v)
            if !problems.isEmpty { errors.append("values[\(i)]: Invalid value: \"\(v)\": \(problems.joined(separator: "; "))") }
        }
        guard !errors.isEmpty else { return }
        throw SelectorSyntaxError(message: errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]")
    }
}
