/// Go's `text/tabwriter` as istioctl uses it: every cell but the last in a row is padded to its
/// column's widest cell plus `padding` spaces.
enum TabWriter {
    static func format(_ rows: [[String]], padding: Int) -> String {
        var widths: [Int] = []
        for row in rows {
            for (i, cell) in row.enumerated().dropLast() {
                if i >= widths.count { widths.append(0) }
                widths[i] = max(widths[i], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count + padding)
            }.joined()
        }.joined(separator: "\n")
    }
}
