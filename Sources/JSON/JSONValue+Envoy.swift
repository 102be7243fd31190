/// Envoy's admin JSON, as Envoy 1.40 prints protobuf JSON on `/clusters?format=json`,
/// `/config_dump` and `/server_info`.
extension JSONValue {
    /// One-space indentation, `"key": value`, `{}` and `[]` for empty containers, a trailing
    /// newline; keys in the objects' own order (Envoy emits proto field order and omits defaults,
    /// so the admin views build objects in that order). No HTML escaping: Envoy's printer leaves
    /// `<`, `>`, `&` as they are.
    package var envoyAdminJSON: String {
        JSONWriter(escapeHTML: false, escapeLineSeparators: false, indent: " ").render(self) + "\n"
    }
}
