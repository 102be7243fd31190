extension String {
    /// The string as Go's `%q` prints the plain text of command lines and messages: JSON's
    /// escapes without JSON's HTML and line-separator escaping (control characters below U+0020
    /// aside, where Go writes `\x01` and this `\u0001`).
    package var goQuoted: String {
        JSONWriter(escapeHTML: false, escapeLineSeparators: false).render(.string(self))
    }
}
