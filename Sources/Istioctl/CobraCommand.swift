/// One command of a cobra command tree (spf13/cobra `command.go`): its `Use` line (the first
/// word is its name), aliases, help texts, flags, positional-argument rule, subcommands and what
/// it runs. istioctl's tree for a release is built from these (`IstioctlCommandTree`), and
/// `CobraRunner` finds, parses and runs them as cobra's `ExecuteC` does.
struct CobraCommand: Sendable {
    /// What a command does with its positional arguments once its flags are parsed.
    typealias Action = @Sendable (CobraInvocation) async throws -> Void

    var use: String
    var aliases: [String] = []
    var short: String
    var long = ""
    var example = ""
    /// Flags of this command only.
    var flags: [CobraFlag] = []
    /// Flags this command and every command below it accept.
    var persistentFlags: [CobraFlag] = []
    /// Inherited flags istioctl hides from this command's help (`hideInheritedFlags` in root.go).
    var hiddenInherited: Set<String> = []
    /// Checks the positional arguments (cobra's `Args`); the thrown message is printed as `Error: …`.
    var args: (@Sendable ([String]) throws(IstioctlFailure) -> Void)?
    var commands: [CobraCommand] = []
    var run: Action?
    var hidden = false

    init(_ use: String, aliases: [String] = [], short: String, long: String = "", example: String = "",
         flags: [CobraFlag] = [], persistentFlags: [CobraFlag] = [], commands: [CobraCommand] = [],
         args: (@Sendable ([String]) throws(IstioctlFailure) -> Void)? = nil, run: Action? = nil) {
        self.use = use
        self.aliases = aliases
        self.short = short
        self.long = long
        self.example = example
        self.flags = flags
        self.persistentFlags = persistentFlags
        self.commands = commands
        self.args = args
        self.run = run
    }

    var name: String { String(use.split(separator: " ").first ?? "") }
    var runnable: Bool { run != nil }

    func child(named word: String) -> CobraCommand? {
        commands.first { $0.name == word || $0.aliases.contains(word) }
    }

    /// cobra's `IsAvailableCommand`: shown in `Available Commands` and suggested.
    var isAvailable: Bool { !hidden && (runnable || commands.contains { $0.isAvailable }) }

    // MARK: cobra's positional-argument rules (`args.go`)

    static func exactArgs(_ n: Int) -> @Sendable ([String]) throws(IstioctlFailure) -> Void {
        { args throws(IstioctlFailure) in
            if args.count != n { throw IstioctlFailure("accepts \(n) arg(s), received \(args.count)") }
        }
    }

    static func maximumArgs(_ n: Int) -> @Sendable ([String]) throws(IstioctlFailure) -> Void {
        { args throws(IstioctlFailure) in
            if args.count > n { throw IstioctlFailure("accepts at most \(n) arg(s), received \(args.count)") }
        }
    }
}

/// A command found on the command line, with its place in the tree.
struct CobraPath: Sendable {
    /// From the root down to the command.
    var chain: [CobraCommand]
    var command: CobraCommand { chain[chain.count - 1] }
    var root: CobraCommand { chain[0] }
    var hasParent: Bool { chain.count > 1 }

    /// `istioctl x revision list`.
    var commandPath: String { chain.map(\.name).joined(separator: " ") }

    /// The help flag cobra adds to every command.
    var helpFlag: CobraFlag { .bool("help", "h", "help for \(command.name)") }

    /// Flags declared here: the command's own, its persistent ones and `-h`.
    var localFlags: [CobraFlag] { command.flags + command.persistentFlags + [helpFlag] }

    /// Persistent flags of the commands above, unless shadowed by a local one.
    var inheritedFlags: [CobraFlag] {
        let local = Set(localFlags.map(\.name))
        var seen = Set<String>()
        return chain.dropLast().reversed().flatMap(\.persistentFlags).filter { !local.contains($0.name) && seen.insert($0.name).inserted }
    }

    /// Every flag the command accepts.
    var allFlags: [CobraFlag] { localFlags + inheritedFlags }

    func flag(named name: String) -> CobraFlag? { allFlags.first { $0.name == name } }
    func flag(shorthand: Character) -> CobraFlag? { allFlags.first { $0.shorthand == shorthand } }

    func appending(_ child: CobraCommand) -> CobraPath { CobraPath(chain: chain + [child]) }
}

extension CobraPath {
    /// cobra's default help: the long (else short) text, then the usage.
    var help: String {
        let text = command.long.isEmpty ? command.short : command.long
        var out = ""
        if !text.isEmpty { out += text.trimmingTrailingWhitespace + "\n\n" }
        if command.runnable || !command.commands.isEmpty { out += usage }
        return out
    }

    /// cobra's default usage template (`UsageTemplate`, the same layout from v0.0.5 to v1.10).
    var usage: String {
        var out = "Usage:"
        let subcommands = command.commands.sorted { $0.name < $1.name }
        let hasAvailable = subcommands.contains { $0.isAvailable }
        if command.runnable {
            var line = hasParent ? CobraPath(chain: chain.dropLast()).commandPath + " " + command.use : command.use
            if allFlags.contains(where: { !$0.hidden }), !line.contains("[flags]") { line += " [flags]" }
            out += "\n  " + line
        }
        if hasAvailable { out += "\n  \(commandPath) [command]" }
        if !command.aliases.isEmpty { out += "\n\nAliases:\n  " + ([command.name] + command.aliases).joined(separator: ", ") }
        if !command.example.isEmpty { out += "\n\nExamples:\n" + command.example }
        if hasAvailable {
            out += "\n\nAvailable Commands:"
            let padding = max(11, subcommands.map(\.name.count).max() ?? 0)
            for sub in subcommands where sub.isAvailable || sub.name == "help" {
                out += "\n  " + sub.name.padding(toLength: padding, withPad: " ", startingAt: 0) + " " + sub.short
            }
        }
        let local = localFlags.filter { !$0.hidden }
        if !local.isEmpty { out += "\n\nFlags:\n" + local.flagUsages.trimmingTrailingWhitespace }
        let inherited = inheritedFlags.filter { !$0.hidden && !command.hiddenInherited.contains($0.name) }
        if !inherited.isEmpty { out += "\n\nGlobal Flags:\n" + inherited.flagUsages.trimmingTrailingWhitespace }
        if hasAvailable { out += "\n\nUse \"\(commandPath) [command] --help\" for more information about a command." }
        return out + "\n"
    }
}

extension String {
    var trimmingTrailingWhitespace: String {
        var s = Substring(self)
        while let last = s.last, last.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
