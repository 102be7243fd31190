extension Timestamp {
    /// RFC 3339 with `digits` fraction digits (the world keeps milliseconds; more digits are
    /// zeros): Istio's log lines use 6, the kubelet's `--timestamps` prefix 9.
    package func rfc3339(fractionDigits digits: Int) -> String {
        let ms = ((milliseconds % 1000) + 1000) % 1000
        var fraction = String(ms)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        fraction = digits <= 3 ? String(fraction.prefix(digits)) : fraction + String(repeating: "0", count: digits - 3)
        return String(rfc3339.dropLast()) + (digits > 0 ? "." + fraction : "") + "Z"
    }
}
