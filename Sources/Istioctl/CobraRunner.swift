import JSON
/// What one command line asks for, decided as cobra's `ExecuteC` and pflag's `Parse` decide it
/// (spf13/cobra `command.go`, `args.go` @v1.0.0 … v1.10.2; spf13/pflag `flag.go` @v1.0.5): find
/// the command (flags may come anywhere), parse its flags, answer `--help`, check the positional
/// arguments. istioctl wraps flag errors and unknown commands in its `CommandParseError`, which
/// `GetExitCode` turns into exit 64 (`istioctl/cmd/sysexits.go@1.6.0` … `@1.30.0`); its root has
/// `SilenceUsage`, so no usage follows an error.
enum CobraRunner {
    /// `ExitIncorrectUsage` in sysexits.go.
    static let usageExitCode: Int32 = 64

    /// A command ready to run with its arguments and flags.
    enum Outcome: Sendable {
        case run(CobraCommand.Action, CobraInvocation)
        /// Help or an error, already formatted: text for stdout and stderr, and the exit code.
        case answer(stdout: String, stderr: String, code: Int32)
    }

    static func resolve(root: CobraCommand, arguments: [String]) -> Outcome {
        let root = withHelpCommand(root)
        let base = CobraPath(chain: [root])
        let (path, rest) = find(base, arguments)
        // legacyArgs: only the root checks that its first word is a command.
        if !path.hasParent, !path.command.commands.isEmpty, let word = stripFlags(rest, path).first {
            let message = "unknown command \(word.goQuoted) for \"\(path.commandPath)\"" + suggestions(word, path.command)
            return .answer(stdout: "", stderr: "Error: \(message)\nRun '\(path.commandPath) --help' for usage.\n", code: usageExitCode)
        }
        var values = FlagValues(path.allFlags)
        let positional: [String]
        do {
            positional = try parse(rest, path, into: &values)
        } catch {
            return .answer(stdout: "", stderr: "Error: \(error.message)\n", code: usageExitCode)
        }
        if values.bool("help") || !path.command.runnable { return .answer(stdout: path.help, stderr: "", code: 0) }
        do {
            try path.command.args?(positional)
        } catch {
            return .answer(stdout: "", stderr: "Error: \(error.message)\n", code: 1)
        }
        guard let run = path.command.run else { return .answer(stdout: path.help, stderr: "", code: 0) }
        return .run(run, CobraInvocation(path: path, args: positional, flags: values))
    }

    /// `Find`: descends while the first word that is not a flag names a child (or alias).
    static func find(_ path: CobraPath, _ args: [String]) -> (CobraPath, [String]) {
        guard let word = stripFlags(args, path).first, let child = path.command.child(named: word) else { return (path, args) }
        var rest = args
        if let i = rest.firstIndex(of: word) { rest.remove(at: i) }
        return find(path.appending(child), rest)
    }

    /// cobra's `stripFlags`: the words left once flags (and the values of value-taking flags) go.
    static func stripFlags(_ args: [String], _ path: CobraPath) -> [String] {
        var words: [String] = []
        var rest = args[...]
        while let s = rest.popFirst() {
            if s == "--" { break }
            let long = s.hasPrefix("--") && !s.contains("=") && !(path.flag(named: String(s.dropFirst(2)))?.takesValue == false)
            let short = s.hasPrefix("-") && !s.contains("=") && s.count == 2
                && !(path.flag(shorthand: s.last!)?.takesValue == false)
            if long || short {
                if rest.count <= 1 { break }
                rest = rest.dropFirst()
            } else if !s.isEmpty, !s.hasPrefix("-") {
                words.append(s)
            }
        }
        return words
    }

    /// pflag's `parseArgs` with interspersed arguments; returns the positional arguments.
    static func parse(_ args: [String], _ path: CobraPath, into values: inout FlagValues) throws(IstioctlFailure) -> [String] {
        var positional: [String] = []
        var rest = args[...]
        while let s = rest.popFirst() {
            if s.count < 2 || !s.hasPrefix("-") {
                positional.append(s)
            } else if s == "--" {
                positional += rest
                break
            } else if s.hasPrefix("--") {
                try parseLong(s, &rest, path, &values)
            } else {
                try parseShort(s, &rest, path, &values)
            }
        }
        return positional
    }

    private static func parseLong(_ s: String, _ rest: inout ArraySlice<String>, _ path: CobraPath, _ values: inout FlagValues) throws(IstioctlFailure) {
        let body = s.dropFirst(2)
        if body.isEmpty || body.hasPrefix("-") || body.hasPrefix("=") { throw IstioctlFailure("bad flag syntax: \(s)") }
        let name = String(body.prefix { $0 != "=" })
        guard let flag = path.flag(named: name) else { throw IstioctlFailure("unknown flag: --\(name)") }
        let value: String
        if let eq = body.firstIndex(of: "=") {
            value = String(body[body.index(after: eq)...])
        } else if !flag.takesValue {
            value = "true"
        } else if let next = rest.popFirst() {
            value = next
        } else {
            throw IstioctlFailure("flag needs an argument: \(s)")
        }
        try set(flag, value, &values)
    }

    private static func parseShort(_ s: String, _ rest: inout ArraySlice<String>, _ path: CobraPath, _ values: inout FlagValues) throws(IstioctlFailure) {
        var shorthands = Substring(s.dropFirst())
        while let c = shorthands.first {
            guard let flag = path.flag(shorthand: c) else {
                throw IstioctlFailure("unknown shorthand flag: '\(c)' in -\(shorthands)")
            }
            let after = shorthands.dropFirst()
            let value: String
            if after.count > 1, after.first == "=" {
                value = String(after.dropFirst())
                shorthands = ""
            } else if !flag.takesValue {
                value = "true"
                shorthands = after
            } else if !after.isEmpty {
                value = String(after)
                shorthands = ""
            } else if let next = rest.popFirst() {
                value = next
                shorthands = ""
            } else {
                throw IstioctlFailure("flag needs an argument: '\(c)' in -\(shorthands)")
            }
            try set(flag, value, &values)
        }
    }

    private static func set(_ flag: CobraFlag, _ value: String, _ values: inout FlagValues) throws(IstioctlFailure) {
        if let reason = flag.check(value) {
            let name = flag.shorthand.map { "-\($0), --\(flag.name)" } ?? "--\(flag.name)"
            throw IstioctlFailure("invalid argument \(value.goQuoted) for \(name.goQuoted) flag: \(reason)")
        }
        values.set(flag, value)
    }

    /// `findSuggestions`: commands within Levenshtein distance 2 (case-insensitive) or starting with the word.
    static func suggestions(_ word: String, _ command: CobraCommand) -> String {
        let found = command.commands.sorted { $0.name < $1.name }.filter {
            $0.isAvailable && (levenshtein(word.lowercased(), $0.name.lowercased()) <= 2 || $0.name.lowercased().hasPrefix(word.lowercased()))
        }
        guard !found.isEmpty else { return "" }
        return "\n\nDid you mean this?\n" + found.map { "\t\($0.name)\n" }.joined()
    }

    static func levenshtein(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for i in 1...max(a.count, 1) where !a.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let old = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] == b[j - 1] ? 0 : 1))
                previous = old
            }
        }
        return a.isEmpty ? b.count : row[b.count]
    }

    /// cobra's `InitDefaultHelpCmd`: `help [command]` on a root with subcommands.
    static func withHelpCommand(_ root: CobraCommand) -> CobraCommand {
        guard !root.commands.isEmpty, root.child(named: "help") == nil else { return root }
        var root = root
        let snapshot = root
        root.commands.append(
            CobraCommand(
                "help [command]", short: "Help about any command",
                long: "Help provides help for any command in the application.\nSimply type \(root.name) help [path to command] for full details.",
                run: { invocation in
                    let (path, rest) = find(CobraPath(chain: [snapshot]), invocation.args)
                    if !path.hasParent, !stripFlags(rest, path).isEmpty {
                        Console.out("Unknown help topic [\(invocation.args.map { "`\($0)`" }.joined(separator: " "))]")
                        Console.write(CobraPath(chain: [snapshot]).usage)
                    } else {
                        Console.write(path.help)
                    }
                }))
        return root
    }
}

/// A found command's positional arguments and flag values.
struct CobraInvocation: Sendable {
    var path: CobraPath
    var args: [String]
    var flags: FlagValues
}
